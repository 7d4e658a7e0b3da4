import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { registerStrings } from '../../flex/strings.ts';
import { reservationView } from '../../flex/tasks.ts';
import type { FlexReservation } from '../../flex/types.ts';
import { readDisconnection } from './disconnection.ts';

export const NOTICE_OTHER_AGENT = 'LifelineDroppedCallOtherAgent';
export const NOTICE_SAME_AGENT = 'LifelineDroppedCallSameAgent';

/** Flex string templates (Handlebars), filled from the notification's context. */
export const noticeStrings = {
  [NOTICE_OTHER_AGENT]:
    'This caller was talking to {{workerName}} when their connection dropped {{ago}}. They are still on the line.',
  [NOTICE_SAME_AGENT]:
    'This is the caller you were talking to when your connection dropped {{ago}}.',
};

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "40 seconds ago", "2 minutes ago", in the agent's language. */
export function ago(atMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - atMs) / 1000));
  return seconds < 90
    ? relative.format(-seconds, 'second')
    : relative.format(-Math.round(seconds / 60), 'minute');
}

/**
 * The agent who receives an escalated or reconnect call learns who dropped and how long
 * ago, from the task's `disconnection` attribute that the server writes. A Flex
 * notification (string `content` names a template, filled from the context given to
 * showNotification: bundle `renderMessageContent`).
 */
export function reservationCreated(ctx: LifelineContext, now: () => number = Date.now) {
  const shown = new Set<string>();
  return (reservation: FlexReservation): void => {
    const task = reservationView(ctx.flex, reservation);
    const dropped = readDisconnection(task.attributes);
    if (task.status !== 'pending' || dropped === null || shown.has(task.reservationSid)) return;
    shown.add(task.reservationSid);
    const me = ctx.agent.workerSid();
    ctx.flex.Notifications.showNotification(
      dropped.workerSid === me ? NOTICE_SAME_AGENT : NOTICE_OTHER_AGENT,
      { workerName: dropped.workerName, ago: ago(dropped.atMs, now()) },
    );
  };
}

export function registerNextAgentNotice(ctx: LifelineContext): Disposer {
  registerStrings(ctx.manager, noticeStrings);
  for (const id of [NOTICE_OTHER_AGENT, NOTICE_SAME_AGENT]) {
    ctx.flex.Notifications.registerNotification({
      id,
      content: id,
      type: ctx.flex.NotificationType.information,
      closeButton: true,
      timeout: 30_000,
    });
  }
  const client = ctx.manager.workerClient;
  if (client === undefined) return () => undefined;
  const listener = reservationCreated(ctx);
  client.on('reservationCreated', listener);
  return () => {
    client.off?.('reservationCreated', listener);
  };
}
