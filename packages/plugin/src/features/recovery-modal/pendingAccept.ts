import type { PendingLifelineTask } from '../../core/index.ts';
import { pendingLifelineTask } from '../../core/index.ts';
import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { listen } from '../../flex/context.ts';
import { workerTasks } from '../../flex/tasks.ts';

/**
 * The recovery task (ping or reconnect) waiting for the agent, if any, kept current for the
 * modal: it is re-read when a reservation arrives and after each accept.
 */
export interface PendingAccept {
  current(): PendingLifelineTask | null;
  subscribe(listener: () => void): () => void;
  accept(reservationSid: string): Promise<void>;
}

export function createPendingAccept(ctx: LifelineContext): PendingAccept & { dispose: Disposer } {
  const listeners = new Set<() => void>();
  let pending: PendingLifelineTask | null = null;
  const refresh = () => {
    const next = pendingLifelineTask(workerTasks(ctx.flex, ctx.manager), ctx.agent.workerSid());
    // Most reservations and accepts change nothing here: re-render the modal only on a change.
    if (next?.kind === pending?.kind && next?.reservationSid === pending?.reservationSid) return;
    pending = next;
    listeners.forEach((listener) => listener());
  };
  // After Flex's own reservationCreated handling, so its store has the task.
  const onReservation = () => void Promise.resolve().then(refresh);
  ctx.manager.workerClient?.on('reservationCreated', onReservation);
  const stopListening = listen(ctx.flex, 'afterAcceptTask', refresh);
  refresh();
  return {
    current: () => pending,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async accept(reservationSid) {
      try {
        await ctx.flex.Actions.invokeAction('AcceptTask', { sid: reservationSid });
      } catch (error) {
        ctx.log('Lifeline: accepting from the modal failed', error);
      }
      refresh();
    },
    dispose() {
      stopListening();
      ctx.manager.workerClient?.off?.('reservationCreated', onReservation);
      listeners.clear();
    },
  };
}
