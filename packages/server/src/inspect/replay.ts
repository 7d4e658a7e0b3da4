/**
 * Replays an exported case through the statechart offline, with the machine's pure start()
 * and step(): the same code the server ran, without Redis, Twilio or a clock.
 */
import { start, stateName, step } from '@lifeline/machine';
import type { RecoverySnapshot } from '@lifeline/machine';
import type { CaseFixture } from './fixture.ts';

export interface ReplayStep {
  index: number;
  event: string;
  source: string;
  from: string;
  to: string;
  changed: boolean;
  effects: string[];
  scheduled: string[];
  cancelled: string[];
  /** The state the server recorded after this event; null when it recorded none. */
  recorded: string | null;
  /** The replay reached another state than the server recorded. */
  diverged: boolean;
}

export interface ReplayResult {
  steps: ReplayStep[];
  finalState: string;
  final: boolean;
  snapshot: RecoverySnapshot;
  /** The server's last state, from the fixture. */
  expected: string;
  matches: boolean;
}

export function replayCase(fixture: CaseFixture): ReplayResult {
  let snapshot = start({ conferenceSid: fixture.conferenceSid, config: fixture.config }).snapshot;
  const steps: ReplayStep[] = fixture.events.map((item, index) => {
    const from = stateName(snapshot);
    const result = step(snapshot, item.event);
    snapshot = result.snapshot;
    const to = stateName(snapshot);
    return {
      index,
      event: item.event.type,
      source: item.source,
      from,
      to,
      changed: result.changed,
      effects: result.effects.map((effect) => effect.type),
      scheduled: result.schedule.map((timer) => timer.id),
      cancelled: result.cancel,
      recorded: item.state,
      diverged: item.state !== null && item.state !== to,
    };
  });
  const finalState = stateName(snapshot);
  return {
    steps,
    finalState,
    final: snapshot.status === 'done',
    snapshot,
    expected: fixture.final.state,
    matches: finalState === fixture.final.state,
  };
}

export function formatStep(step: ReplayStep): string {
  const move = step.from === step.to ? step.to : `${step.from} -> ${step.to}`;
  const parts = [`#${String(step.index + 1).padStart(3)} ${step.event} (${step.source}): ${move}`];
  if (!step.changed) parts.push('  no change');
  if (step.effects.length > 0) parts.push(`  effects: ${step.effects.join(', ')}`);
  if (step.scheduled.length > 0) parts.push(`  timers: ${step.scheduled.join(', ')}`);
  if (step.cancelled.length > 0) parts.push(`  cancelled: ${step.cancelled.join(', ')}`);
  if (step.diverged) parts.push(`  DIVERGED: the server recorded ${step.recorded ?? '?'}`);
  return parts.join('\n');
}
