import type { RegisterOutcome } from '../../core/index.ts';
import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { listen } from '../../flex/context.ts';
import { payloadTask, readTaskView, taskView } from '../../flex/tasks.ts';
import type { ActionListener } from '../../flex/types.ts';

/**
 * After accept, tells the server who is on the call (it needs both call SIDs to tell a
 * drop from a hang-up) once Flex shows both legs in the task's conference. The server then
 * re-asserts endConferenceOnExit=false, which Flex set to true for a two-party call.
 */
export function afterAcceptTask(
  ctx: LifelineContext,
  onOutcome: (outcome: RegisterOutcome | null) => void = () => undefined,
): ActionListener {
  return (payload) => {
    const task = payloadTask(ctx.flex, payload);
    if (task === null) return;
    // Not awaited: waiting for the legs must not hold up Flex's after-accept work.
    void ctx.agent
      .afterAcceptTask(readTaskView(ctx.flex, task.sid) ?? taskView(ctx.flex, task))
      .then(onOutcome, (error: unknown) => ctx.log('Lifeline: registration crashed', error));
  };
}

export const registerAgentRegistration = (ctx: LifelineContext): Disposer =>
  listen(ctx.flex, 'afterAcceptTask', afterAcceptTask(ctx));
