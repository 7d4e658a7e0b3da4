import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { workerTasks } from '../../flex/tasks.ts';
import { isWrappingCall } from '../../core/index.ts';

/** Start-up check retries when the server cannot be asked: 1, 2, 4, 8, 16 s (about 30 s). */
export const STARTUP_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000];

/**
 * When to ask the server whether this agent is in a recovery: on load when a call task is
 * wrapping (Flex wraps the call the reload cut off), or when the worker's reservations are
 * not known yet (the server is the authority then), and on each new reservation (the
 * Recovery Ping and reconnect tasks of a recovery arrive as reservations). The load check
 * is the one that finds a recovery after a reload, so a server that is briefly unreachable
 * (restarting, 429) is asked again with backoff.
 */
export async function checkOnLoad(
  ctx: LifelineContext,
  stopped: () => boolean = () => false,
): Promise<void> {
  const tasks = workerTasks(ctx.flex, ctx.manager);
  if (tasks.length > 0 && !tasks.some(isWrappingCall)) return;
  for (const delay of [...STARTUP_RETRY_DELAYS_MS, null]) {
    if (stopped() || (await ctx.recovery.check()) !== 'failed' || delay === null) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

export function registerRecoveryChecks(ctx: LifelineContext): Disposer {
  const client = ctx.manager.workerClient;
  let stopped = false;
  const onReservation = () => void ctx.recovery.check();
  client?.on('reservationCreated', onReservation);
  void checkOnLoad(ctx, () => stopped);
  return () => {
    stopped = true;
    client?.off?.('reservationCreated', onReservation);
  };
}
