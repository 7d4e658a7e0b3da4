import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { listen } from '../../flex/context.ts';
import { payloadTask, taskView } from '../../flex/tasks.ts';
import type { ActionListener } from '../../flex/types.ts';

/**
 * Subscribes the server to the call's conference status callbacks. The first participant
 * to join fixes a conference's callback URL and events, and Flex creates the conference
 * from these accept options, so this is the one place to set them.
 */
export function beforeAcceptTask(ctx: LifelineContext): ActionListener {
  return (payload) => {
    const task = payloadTask(ctx.flex, payload);
    if (task === null || typeof payload !== 'object' || payload === null) return;
    ctx.agent.beforeAcceptTask(taskView(ctx.flex, task), payload as Record<string, unknown>);
  };
}

export const registerConferenceCallbacks = (ctx: LifelineContext): Disposer =>
  listen(ctx.flex, 'beforeAcceptTask', beforeAcceptTask(ctx));
