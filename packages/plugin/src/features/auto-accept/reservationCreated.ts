import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { reservationView } from '../../flex/tasks.ts';
import type { FlexReservation } from '../../flex/types.ts';

/**
 * Accepts the tasks a recovery sends this agent: the Recovery Ping (accepting it is how the
 * server learns the agent is back) and the reconnect task that brings the customer back.
 * Both can be switched off in the configuration; the modal then asks the agent to accept.
 */
export function reservationCreated(ctx: LifelineContext) {
  return (reservation: FlexReservation): void => {
    const kind = ctx.agent.reservationCreated(reservationView(ctx.flex, reservation));
    if (kind === null) return;
    ctx.flex.Actions.invokeAction('AcceptTask', { sid: reservation.sid }).catch((error: unknown) =>
      ctx.log(`Lifeline: accepting the ${kind} task failed`, error),
    );
  };
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
