import type { ModalCopy, RecoverySnapshot } from '@lifeline/machine';
import { describeSnapshot, metaOf, restore, stateName } from '@lifeline/machine';
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import { fromTransition } from 'xstate';

/**
 * The browser's copy of one conference's recovery. The server is the only one that steps
 * the recovery statechart; this actor holds the latest of its snapshots, restored with the
 * same `recoveryMachine` (so state names, tags and the modal copy come from the one chart),
 * and never runs the chart's own delays or effects here.
 */
export interface MirrorState {
  conferenceSid: string;
  /** The server's version of the snapshot held; older or equal versions are ignored. */
  version: number;
  recovery: RecoverySnapshot | null;
  /** Set when a snapshot could not be restored (e.g. a newer schema than this build reads). */
  error: string | null;
}

export interface SnapshotReceived {
  type: 'server.snapshot';
  version: number;
  snapshot: unknown;
}

export const recoveryMirror = fromTransition(
  (state: MirrorState, event: SnapshotReceived): MirrorState => {
    if (event.version <= state.version) return state;
    try {
      return { ...state, version: event.version, recovery: restore(event.snapshot), error: null };
    } catch (error) {
      return { ...state, error: error instanceof Error ? error.message : String(error) };
    }
  },
  ({ input }: { input: { conferenceSid: string } }): MirrorState => ({
    conferenceSid: input.conferenceSid,
    version: -1,
    recovery: null,
    error: null,
  }),
);

export type MirrorActor = ActorRefFrom<typeof recoveryMirror>;
export type MirrorSnapshot = SnapshotFrom<typeof recoveryMirror>;

export interface RecoveryView {
  state: string;
  final: boolean;
  modal: ModalCopy | null;
  /** The original task of the recovery: the one whose wrap-up and complete are held. */
  taskSid: string | null;
}

export function viewOf(state: MirrorState): RecoveryView | null {
  const recovery = state.recovery;
  if (recovery === null) return null;
  const { state: name, final, meta } = describeSnapshot(recovery);
  return {
    state: name,
    final,
    modal: meta.modal,
    taskSid: recovery.context.recovery?.taskSid ?? null,
  };
}

/** Selectors for @xstate/react's useSelector: each returns stable values (the copy objects). */
export const selectModal = (snapshot: MirrorSnapshot): ModalCopy | null =>
  snapshot.context.recovery === null ? null : metaOf(snapshot.context.recovery).modal;
export const selectStateName = (snapshot: MirrorSnapshot): string =>
  snapshot.context.recovery === null ? 'unknown' : stateName(snapshot.context.recovery);
