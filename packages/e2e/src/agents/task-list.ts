import type { TaskView } from 'plugin-lifeline/core';
import type { ReservationRecord, World } from '@lifeline/simulator/model';
import type { AgentCall } from './types.ts';
import { heldStatuses, taskView } from './views.ts';

/**
 * One worker's Flex task list, as the plugin reads it: each task by the worker's reservation
 * for it, with the conference the agent was connected in (and the agent's legs that left it).
 */
export class FlexTaskList {
  constructor(
    private readonly world: World,
    private readonly workerSid: string,
    private readonly calls: readonly AgentCall[],
  ) {}

  private reservations(): ReservationRecord[] {
    return this.world.taskrouter.reservations.forWorker(this.workerSid);
  }

  /** The task as Flex shows it now: by the worker's live (else latest) reservation for it. */
  read(taskSid: string): TaskView | null {
    const mine = this.reservations().filter((r) => r.taskSid === taskSid);
    const reservation = mine.filter((r) => heldStatuses.includes(r.status)).at(-1) ?? mine.at(-1);
    return reservation === undefined ? null : this.viewOf(reservation);
  }

  viewOf(reservation: ReservationRecord): TaskView | null {
    const calls = this.calls.filter((c) => c.taskSid === reservation.taskSid);
    return taskView(this.world, {
      reservation,
      conferenceSid: calls.at(-1)?.conferenceSid ?? null,
      ownLegs: calls.map((c) => c.workerCallSid),
    });
  }

  /** Every task in the list (pending, accepted or wrapping). */
  held(): TaskView[] {
    return this.reservations()
      .filter((r) => heldStatuses.includes(r.status))
      .map((r) => this.viewOf(r))
      .filter((view): view is TaskView => view !== null);
  }

  /** A pending reservation (the first when none is named). */
  pending(reservationSid?: string): ReservationRecord | undefined {
    return this.reservations().find(
      (r) => r.status === 'pending' && (reservationSid === undefined || r.sid === reservationSid),
    );
  }
}
