import type { StateValue } from 'xstate';
import type { Recovery, RecoveryContext } from './context.ts';
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
  } as RecoveryContext;
  if (context.recovery !== null) {
    const recovery: Partial<Recovery> = context.recovery;
    context.recovery = { ...context.recovery, requeues: recovery.requeues ?? 0 };
  }
  return { schemaVersion: 2, value, context };
}
