import type { RecoverySnapshot } from '@lifeline/machine';
import { stateName } from '@lifeline/machine';
import type { ConferenceSummary } from '../store/types.ts';

/**
 * What the inspector's list shows of a conference, from its snapshot: the worker and task of
 * the recovery when there is one, else of the first agent registered.
 */
export function summarize(snapshot: RecoverySnapshot): ConferenceSummary {
  const { context } = snapshot;
  const agent = Object.values(context.agents)[0];
  const outcome = context.outcome;
  return {
    state: stateName(snapshot),
    final: snapshot.status === 'done',
    outcome: outcome === null ? null : outcome.kind === 'recovered' ? 'recovered' : outcome.reason,
    workerSid: context.recovery?.workerSid ?? agent?.workerSid ?? null,
    taskSid: context.recovery?.taskSid ?? agent?.taskSid ?? null,
    recoveryStartedAt: context.recovery?.disconnectedAt ?? null,
  };
}
