import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { listen } from '../../flex/context.ts';
import { payloadTask } from '../../flex/tasks.ts';
import type { ActionListener } from '../../flex/types.ts';

/**
 * While the recovery's copy says blocking, the agent must not wrap up or complete the
 * original task: the customer is still waiting for them. Flex cancels the action when a
 * before-listener calls abortFunction.
 */
export function holdWhileBlocking(ctx: LifelineContext): ActionListener {
  return (payload, abortFunction) => {
    const task = payloadTask(ctx.flex, payload);
    if (task !== null && ctx.recovery.blocks(task.taskSid)) abortFunction();
  };
}

export const beforeWrapupTask = holdWhileBlocking;

export const registerWrapupGuard = (ctx: LifelineContext): Disposer =>
  listen(ctx.flex, 'beforeWrapupTask', beforeWrapupTask(ctx));
