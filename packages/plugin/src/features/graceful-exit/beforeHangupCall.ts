import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { bounded, listen } from '../../flex/context.ts';
import { payloadTask, taskView } from '../../flex/tasks.ts';
import type { ActionListener } from '../../flex/types.ts';

/** How long a hang-up or transfer may wait for the server before Flex goes ahead. */
export const GRACEFUL_EXIT_WAIT_MS = 1_500;

/**
 * Records a hang-up through Flex before the agent's leg leaves, so the server does not
 * mistake it for a drop (and, with two or fewer live, ends the conference itself).
 */
export function beforeHangupCall(ctx: LifelineContext): ActionListener {
  return (payload) => {
    const task = payloadTask(ctx.flex, payload);
    if (task === null) return undefined;
    return bounded(ctx.agent.beforeHangupCall(taskView(ctx.flex, task)), GRACEFUL_EXIT_WAIT_MS);
  };
}

export const registerHangup = (ctx: LifelineContext): Disposer =>
  listen(ctx.flex, 'beforeHangupCall', beforeHangupCall(ctx));
