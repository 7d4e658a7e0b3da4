import type { StateValue } from 'xstate';
import type { Recovery, RecoveryConfig, RecoveryContext } from './context.ts';
import type { PersistedRecovery } from './snapshot.ts';

/**
 * Version 1 -> 2: the state `tracking` is called `connected` (the design's name). The
 * context gained fields since; each gets the value a version-1 snapshot implies.
 */
export function migrateV1(old: PersistedRecovery): PersistedRecovery {
  const value: StateValue = old.value === 'tracking' ? 'connected' : old.value;
  const before: Partial<RecoveryContext> = old.context;
  const context = {
    ...old.context,
    lookup: before.lookup ?? 'none',
    schemaVersion: 2,
  } as unknown as RecoveryContext;
  if (context.recovery !== null) {
    const recovery: Partial<Recovery> = context.recovery;
    context.recovery = { ...context.recovery, requeues: recovery.requeues ?? 0 };
  }
  return { schemaVersion: 2, value, context };
}

/**
 * Version 2 -> 3: re-dials wait for the new conference's joins. A recovery gains the new
 * conference's SID, whether the customer was seen there, and its sequence numbers; the
 * config gains the re-dial timeout.
 */
export function migrateV2(old: PersistedRecovery): PersistedRecovery {
  const config: Partial<RecoveryConfig> = old.context.config;
  const context = {
    ...old.context,
    config: { ...old.context.config, redialTimeoutMs: config.redialTimeoutMs ?? 30_000 },
    schemaVersion: 3,
  } as unknown as RecoveryContext;
  if (context.recovery !== null) {
    const recovery: Partial<Recovery> = context.recovery;
    context.recovery = {
      ...context.recovery,
      newConferenceSid: recovery.newConferenceSid ?? null,
      // A version-2 re-dial had already moved its parties on acceptance.
      customerInNewConference:
        recovery.customerInNewConference ?? recovery.newConferenceName != null,
      newConferenceSeq: recovery.newConferenceSeq ?? {},
    };
  }
  return { schemaVersion: 3, value: old.value, context };
}

/** The timer a version-3 `pinging` scheduled on entry; see {@link legacyTimerEvent}. */
export const V3_PING_TIMEOUT = 'xstate.after.pingTimeout.recovery.recovering.pinging';

/**
 * Version 3 -> 4: the ping timeout runs from the ping task's creation, so `pinging` has two
 * steps: `creating` (bounded by the new create timeout) and `offered` (the task exists).
 */
export function migrateV3(old: PersistedRecovery): PersistedRecovery {
  const config: Partial<RecoveryConfig> = old.context.config;
  const context = {
    ...old.context,
    config: { ...old.context.config, pingCreateTimeoutMs: config.pingCreateTimeoutMs ?? 30_000 },
    schemaVersion: 4,
  } as RecoveryContext;
  let value = old.value;
  if (typeof value === 'object' && value['recovering'] === 'pinging') {
    value = { recovering: { pinging: context.recovery?.pingTaskSid ? 'offered' : 'creating' } };
  }
  return { schemaVersion: 4, value, context };
}
