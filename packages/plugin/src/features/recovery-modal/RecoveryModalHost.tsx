import { useSelector } from '@xstate/react';
import { useEffect, useState } from 'react';
import type {
  MirrorActor,
  PendingLifelineTask,
  RecoveryController,
  RecoverySession,
} from '../../core/index.ts';
import { selectModal, selectStateName } from '../../core/index.ts';
import type { PendingAccept } from './pendingAccept.ts';
import { RecoveryModal } from './RecoveryModal.tsx';

const acceptLabel: Record<PendingLifelineTask['kind'], string> = {
  ping: 'I am back: accept the Recovery Ping',
  reconnect: "Accept the customer's call",
};

interface SessionModalProps {
  actor: MirrorActor;
  onDismiss: () => void;
  pending: PendingLifelineTask | null;
  onAccept: (reservationSid: string) => void;
}

function SessionModal({ actor, onDismiss, pending, onAccept }: SessionModalProps) {
  const copy = useSelector(actor, selectModal);
  const state = useSelector(actor, selectStateName);
  if (copy === null) return null;
  const action =
    pending === null
      ? null
      : { label: acceptLabel[pending.kind], onClick: () => onAccept(pending.reservationSid) };
  return <RecoveryModal copy={copy} state={state} onDismiss={onDismiss} action={action} />;
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
}

/** Mounted once in Flex's RootContainer: shows the modal of the current recovery, if any. */
export function RecoveryModalHost({ controller, pendingAccept }: RecoveryModalHostProps) {
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
    />
  );
}
