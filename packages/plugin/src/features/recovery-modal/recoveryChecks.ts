import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { workerTasks } from '../../flex/tasks.ts';
import { isWrappingCall } from '../../core/index.ts';

/**
 * When to ask the server whether this agent is in a recovery: on load when a call task is
 * wrapping (Flex wraps the call the reload cut off), or when the worker's reservations are
 * not known yet (the server is the authority then), and on each new reservation (the
 * Recovery Ping and reconnect tasks of a recovery arrive as reservations).
 */
export function checkOnLoad(ctx: LifelineContext): Promise<void> {
  const tasks = workerTasks(ctx.flex, ctx.manager);
  const ask = tasks.length === 0 || tasks.some(isWrappingCall);
  return ask ? ctx.recovery.check() : Promise.resolve();
}

export function registerRecoveryChecks(ctx: LifelineContext): Disposer {
  const client = ctx.manager.workerClient;
  const onReservation = () => void ctx.recovery.check();
  client?.on('reservationCreated', onReservation);
  void checkOnLoad(ctx);
  return () => {
    client?.off?.('reservationCreated', onReservation);
  };
}
