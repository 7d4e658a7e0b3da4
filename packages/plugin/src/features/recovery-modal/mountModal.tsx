import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { registerStrings } from '../../flex/strings.ts';
import { createPendingAccept } from './pendingAccept.ts';
import { RecoveryModalHost } from './RecoveryModalHost.tsx';
import { modalStrings } from './strings.ts';

/**
 * The modal lives at the root of Flex's layout (it portals itself to the end of the body),
 * with Flex's theme (withTheme) and its words in Flex's strings.
 */
export function mountRecoveryModal(ctx: LifelineContext): Disposer {
  registerStrings(ctx.manager, modalStrings);
  const pendingAccept = createPendingAccept(ctx);
  const ThemedHost = ctx.flex.withTheme(RecoveryModalHost);
  ctx.flex.RootContainer.Content.add(
    <ThemedHost
      key="lifeline-recovery-modal"
      controller={ctx.recovery}
      pendingAccept={pendingAccept}
      manager={ctx.manager}
    />,
  );
  return pendingAccept.dispose;
}
