import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { createPendingAccept } from './pendingAccept.ts';
import { RecoveryModalHost } from './RecoveryModalHost.tsx';

/** The modal lives at the root of Flex's layout so it covers every view. */
export function mountRecoveryModal(ctx: LifelineContext): Disposer {
  const pendingAccept = createPendingAccept(ctx);
  ctx.flex.RootContainer.Content.add(
    <RecoveryModalHost
      key="lifeline-recovery-modal"
      controller={ctx.recovery}
      pendingAccept={pendingAccept}
    />,
  );
  return pendingAccept.dispose;
}
