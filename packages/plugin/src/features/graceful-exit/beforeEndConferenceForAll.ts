import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { listen } from '../../flex/context.ts';
import { beforeHangupCall } from './beforeHangupCall.ts';

/**
 * Flex's end-call menu ("End call for all") and its Ctrl+Shift+1 shortcut invoke
 * EndConferenceForAll instead of HangupCall when external warm transfers are on (bundle
 * `onEndCallHandler:...tryInvokeAction)("EndConferenceForAll"` and `endSelectedTask`). It is
 * an agent ending the call on purpose, recorded the same way as a hang-up.
 */
export const beforeEndConferenceForAll = beforeHangupCall;

export const registerEndConferenceForAll = (ctx: LifelineContext): Disposer =>
  listen(ctx.flex, 'beforeEndConferenceForAll', beforeEndConferenceForAll(ctx));
