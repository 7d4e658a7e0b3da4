import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { bounded, listen } from '../../flex/context.ts';
import { payloadTask, taskView } from '../../flex/tasks.ts';
import type { ActionListener } from '../../flex/types.ts';
import { GRACEFUL_EXIT_WAIT_MS } from './beforeHangupCall.ts';

/** A cold transfer takes the agent out of the call on purpose: not a drop to recover. */
export function beforeTransferTask(ctx: LifelineContext): ActionListener {
  return (payload) => {
    const task = payloadTask(ctx.flex, payload);
    const options = (payload as { options?: { mode?: unknown } } | null)?.options;
    // Flex's transfer buttons always name the mode; anything but COLD keeps the agent in the call.
    const mode = options?.mode === 'COLD' ? 'COLD' : 'WARM';
    if (task === null || mode !== 'COLD') return undefined;
    return bounded(
      ctx.agent.beforeTransferTask(taskView(ctx.flex, task), mode),
      GRACEFUL_EXIT_WAIT_MS,
    );
  };
}

export const registerTransfer = (ctx: LifelineContext): Disposer =>
  listen(ctx.flex, 'beforeTransferTask', beforeTransferTask(ctx));
