import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { listen } from '../../flex/context.ts';
import { holdWhileBlocking } from './beforeWrapupTask.ts';

/** Same hold as wrap-up: completing the original task would free the agent mid-recovery. */
export const beforeCompleteTask = holdWhileBlocking;

export const registerCompleteGuard = (ctx: LifelineContext): Disposer =>
  listen(ctx.flex, 'beforeCompleteTask', beforeCompleteTask(ctx));
