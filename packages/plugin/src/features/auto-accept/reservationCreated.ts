import type { LifelineTaskKind } from '../../core/index.ts';
import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { onStoreChange, onVoiceClientChange, voiceClientReady, waitFor } from '../../flex/ready.ts';
import { reservationView } from '../../flex/tasks.ts';
import type { FlexReservation } from '../../flex/types.ts';

/** How long auto-accept waits for Flex to hold the task and for its voice client. */
export const AUTO_ACCEPT_WAIT_MS = 10_000;

/**
 * Accepts the tasks a recovery sends this agent: the Recovery Ping (accepting it is how the
 * server learns the agent is back) and the reconnect task that brings the customer back.
 * Both can be switched off in the configuration; the modal then asks the agent to accept.
 */
export function reservationCreated(ctx: LifelineContext) {
  return (reservation: FlexReservation): void => {
    const kind = ctx.agent.reservationCreated(reservationView(ctx.flex, reservation));
    if (kind !== null) void acceptWhenReady(ctx, reservation.sid, kind);
  };
}

/**
 * Accepts as Flex's own auto-accept does (bundle `handleReservationCreated`): once Flex's
 * store has the task (AcceptTask resolves `sid` through it) and, for a call, once the voice
 * client is registered; then brings the reconnected call to the front with SelectTask,
 * which takes the reservation SID (bundle `e.selectTask=function`).
 */
async function acceptWhenReady(
  ctx: LifelineContext,
  reservationSid: string,
  kind: LifelineTaskKind,
) {
  const { flex, manager } = ctx;
  const known = () => flex.TaskHelper.getTaskByTaskSid(reservationSid) != null;
  if (!(await waitFor(known, onStoreChange(manager), AUTO_ACCEPT_WAIT_MS))) {
    // The modal still offers to accept it.
    ctx.log(`Lifeline: Flex never listed the ${kind} task ${reservationSid}; not accepting it`);
    return;
  }
  if (kind === 'reconnect') {
    const ready = () => voiceClientReady(manager);
    if (!(await waitFor(ready, onVoiceClientChange(manager), AUTO_ACCEPT_WAIT_MS))) {
      ctx.log('Lifeline: the voice client is not registered; accepting the call anyway');
    }
  }
  try {
    await flex.Actions.invokeAction('AcceptTask', { sid: reservationSid });
    if (kind === 'reconnect')
      await flex.Actions.invokeAction('SelectTask', { sid: reservationSid });
  } catch (error) {
    ctx.log(`Lifeline: accepting the ${kind} task failed`, error);
  }
}

export function registerAutoAccept(ctx: LifelineContext): Disposer {
  const client = ctx.manager.workerClient;
  if (client === undefined) return () => undefined;
  const listener = reservationCreated(ctx);
  client.on('reservationCreated', listener);
  // A ping that arrived while the page was reloading is already waiting.
  for (const reservation of client.reservations.values()) listener(reservation);
  return () => {
    client.off?.('reservationCreated', listener);
  };
}
