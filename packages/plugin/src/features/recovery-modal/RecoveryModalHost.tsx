import { useSelector } from '@xstate/react';
import { useEffect, useState } from 'react';
import type {
  MirrorActor,
  PendingLifelineTask,
  RecoveryController,
  RecoverySession,
} from '../../core/index.ts';
import { selectModal, selectStateName } from '../../core/index.ts';
import type { FlexManager } from '../../flex/types.ts';
import type { PendingAccept } from './pendingAccept.ts';
import { RecoveryModal } from './RecoveryModal.tsx';
import type { ModalLine, Translate } from './strings.ts';
import { translatedCopy, translator } from './strings.ts';

const acceptLine: Record<PendingLifelineTask['kind'], ModalLine> = {
  ping: 'LifelineRecoveryAcceptPing',
  reconnect: 'LifelineRecoveryAcceptReconnect',
};

interface SessionModalProps {
  actor: MirrorActor;
  onDismiss: () => void;
  pending: PendingLifelineTask | null;
  onAccept: (reservationSid: string) => void;
  manager: FlexManager;
  t: Translate;
  theme: unknown;
}

function SessionModal(props: SessionModalProps) {
  const { actor, onDismiss, pending, onAccept, manager, t, theme } = props;
  const copy = useSelector(actor, selectModal);
  const state = useSelector(actor, selectStateName);
  if (copy === null) return null;
  const action =
    pending === null
      ? null
      : { label: t(acceptLine[pending.kind]), onClick: () => onAccept(pending.reservationSid) };
  return (
    <RecoveryModal
      copy={translatedCopy(manager, state, copy)}
      state={state}
      onDismiss={onDismiss}
      action={action}
      theme={theme}
      t={t}
    />
  );
}

/** Subscribes to an external store (React 17 has no useSyncExternalStore). */
function useStore<T>(read: () => T, subscribe: (listener: () => void) => () => void): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(read);
    update();
    return subscribe(update);
  }, [read, subscribe]);
  return value;
}

export interface RecoveryModalHostProps {
  controller: RecoveryController;
  pendingAccept: PendingAccept;
  manager: FlexManager;
  /** Flex's theme (withTheme). */
  theme?: unknown;
}

/** Mounted once in Flex's RootContainer: shows the modal of the current recovery, if any. */
export function RecoveryModalHost(props: RecoveryModalHostProps) {
  const { controller, pendingAccept, manager, theme } = props;
  const session: RecoverySession | null = useStore(controller.current, controller.subscribe);
  const pending = useStore(pendingAccept.current, pendingAccept.subscribe);
  if (session === null) return null;
  return (
    <SessionModal
      key={session.conferenceSid}
      actor={session.actor}
      onDismiss={() => controller.dismiss()}
      pending={pending}
      onAccept={(sid) => void pendingAccept.accept(sid)}
      manager={manager}
      t={translator(manager)}
      theme={theme}
    />
  );
}
