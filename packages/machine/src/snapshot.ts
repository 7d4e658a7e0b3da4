import type { StateValue } from 'xstate';
import type { RecoveryContext } from './context.ts';
import { SCHEMA_VERSION } from './context.ts';
import type { StateMeta } from './copy.ts';
import { isJsonObject } from './json.ts';
import { recoveryMachine } from './machine.ts';
import type { RecoverySnapshot } from './step.ts';
import { stateName } from './step.ts';
import { migrateV1, migrateV2, migrateV3 } from './migrations.ts';

/** The stored form of a recovery: what Redis keeps and what the plugin receives. */
export interface PersistedRecovery {
  schemaVersion: number;
  value: StateValue;
  context: RecoveryContext;
}

export class SnapshotVersionError extends Error {
  constructor(
    readonly found: unknown,
    readonly supported: number,
    /** Set when the version is readable but the content is not (a state this build lacks). */
    readonly detail?: string,
  ) {
    super(
      `Recovery snapshot has schemaVersion ${String(found)}; this build reads versions 1..${supported}` +
        (detail === undefined ? '' : ` and cannot read this one: ${detail}`) +
        '. Upgrade this instance, or migrate the stored snapshot.',
    );
    this.name = 'SnapshotVersionError';
  }
}

/**
 * Migrations from each older schema version to the next: `v: (old) => next` lifts a
 * snapshot written at version v to v + 1. restore() applies them in order.
 */
const migrations: Record<number, (old: PersistedRecovery) => PersistedRecovery> = {
  1: migrateV1,
  2: migrateV2,
  3: migrateV3,
};

export function persist(snapshot: RecoverySnapshot): PersistedRecovery {
  return { schemaVersion: SCHEMA_VERSION, value: snapshot.value, context: snapshot.context };
}

export function restore(stored: unknown): RecoverySnapshot {
  if (!isJsonObject(stored) || !('value' in stored) || !isJsonObject(stored['context'])) {
    throw new SnapshotVersionError(undefined, SCHEMA_VERSION);
  }
  let persisted = stored as unknown as PersistedRecovery;
  const version = persisted.schemaVersion;
  if (typeof version !== 'number' || version < 1 || version > SCHEMA_VERSION) {
    throw new SnapshotVersionError(version, SCHEMA_VERSION);
  }
  for (let v = version; v < SCHEMA_VERSION; v += 1) {
    const migrate = migrations[v];
    if (migrate === undefined) throw new SnapshotVersionError(version, SCHEMA_VERSION);
    persisted = migrate(persisted);
  }
  try {
    return recoveryMachine.resolveState({ value: persisted.value, context: persisted.context });
  } catch (error) {
    // A state value this chart does not have was written by another build of it: the same
    // remedy as a version mismatch, so the same error for the host to handle.
    throw new SnapshotVersionError(version, SCHEMA_VERSION, String(error));
  }
}

/** The meta (modal copy) of the snapshot's current leaf state. */
export function metaOf(snapshot: RecoverySnapshot): StateMeta {
  const metas = Object.values(snapshot.getMeta()) as StateMeta[];
  // The deepest state's meta is last.
  return metas[metas.length - 1] ?? { modal: null, summary: '' };
}

export function describeSnapshot(snapshot: RecoverySnapshot) {
  return { state: stateName(snapshot), final: snapshot.status === 'done', meta: metaOf(snapshot) };
}
