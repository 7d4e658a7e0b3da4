import { apiErrors } from '../../errors.ts';
import { newSid } from '../../sids.ts';
import type { ReservationRecord, ReservationStatus, TaskRecord, WorkerRecord } from '../records.ts';
import type { World } from '../world.ts';
import { emitTaskRouterEvent } from './events.ts';

/** Reservation statuses that hold the worker's capacity on the task's channel. */
export const occupying: readonly ReservationStatus[] = ['pending', 'accepted', 'wrapping'];

const eventName: Partial<Record<ReservationStatus, string>> = {
  accepted: 'reservation.accepted',
  rejected: 'reservation.rejected',
  timeout: 'reservation.timeout',
  canceled: 'reservation.canceled',
  rescinded: 'reservation.rescinded',
  wrapping: 'reservation.wrapup',
  completed: 'reservation.completed',
};

/** Reservations: offered to one worker, then accepted, rejected, timed out, wrapped or completed. */
export class Reservations {
  private readonly records = new Map<string, ReservationRecord>();
  /**
   * Each task's and each worker's reservations, in the order they were offered (records are
   * never removed): routing asks a worker's for its capacity on every pass, and hundreds of
   * workers (the e2e scale-out test) made a scan of every reservation each time quadratic.
   */
  private readonly byTask = new Map<string, ReservationRecord[]>();
  private readonly byWorker = new Map<string, ReservationRecord[]>();

  constructor(private readonly world: World) {}

  get(sid: string): ReservationRecord | undefined {
    return this.records.get(sid);
  }

  all(): ReservationRecord[] {
    return [...this.records.values()];
  }

  forTask(taskSid: string): ReservationRecord[] {
    return [...(this.byTask.get(taskSid) ?? [])];
  }

  forWorker(workerSid: string): ReservationRecord[] {
    return [...(this.byWorker.get(workerSid) ?? [])];
  }

  pendingFor(taskSid: string): ReservationRecord | undefined {
    return this.forTask(taskSid).find((r) => r.status === 'pending');
  }

  /** The accepted or wrapping reservation of an assigned task. */
  activeFor(taskSid: string): ReservationRecord | undefined {
    return this.forTask(taskSid).find((r) => r.status === 'accepted' || r.status === 'wrapping');
  }

  offer(task: TaskRecord, worker: WorkerRecord): ReservationRecord {
    const now = this.world.clock.now();
    const reservation: ReservationRecord = {
      sid: newSid('WR'),
      taskSid: task.sid,
      workerSid: worker.sid,
      status: 'pending',
      dateCreated: now,
      dateUpdated: now,
      timer: null,
    };
    this.records.set(reservation.sid, reservation);
    append(this.byTask, task.sid, reservation);
    append(this.byWorker, worker.sid, reservation);
    worker.lastReservedAt = now;
    task.assignmentStatus = 'reserved';
    this.world.taskrouter.tasks.touch(task);
    const workflow = this.world.taskrouter.workspace.workflows.get(task.workflowSid);
    const timeoutS = workflow?.taskReservationTimeout ?? 120;
    reservation.timer = this.world.clock.after(this.world.scaledMs(timeoutS), () => {
      reservation.timer = null;
      if (reservation.status === 'pending') this.timeout(reservation);
    });
    emitTaskRouterEvent(
      this.world,
      'reservation.created',
      task,
      reservation,
      'Reservation created',
    );
    return reservation;
  }

  accept(reservation: ReservationRecord): void {
    if (reservation.status === 'accepted') return;
    if (reservation.status !== 'pending') {
      throw apiErrors.invalid(
        `Reservation ${reservation.sid} is ${reservation.status}, not pending`,
      );
    }
    const task = this.taskOf(reservation);
    this.setStatus(reservation, 'accepted');
    this.world.taskrouter.tasks.assign(task);
    emitTaskRouterEvent(
      this.world,
      'reservation.accepted',
      task,
      reservation,
      'Reservation accepted',
    );
  }

  reject(reservation: ReservationRecord): void {
    if (reservation.status !== 'pending') {
      throw apiErrors.invalid(
        `Reservation ${reservation.sid} is ${reservation.status}, not pending`,
      );
    }
    const task = this.taskOf(reservation);
    task.routing.rejectedBy.add(reservation.workerSid);
    this.end(reservation, 'rejected');
    this.world.taskrouter.tasks.requeue(task);
  }

  /** Wraps or completes an accepted reservation (and with it the task). */
  finish(reservation: ReservationRecord, status: 'wrapping' | 'completed'): void {
    const task = this.taskOf(reservation);
    if (status === 'wrapping') {
      if (reservation.status !== 'accepted') {
        throw apiErrors.invalid(
          `Reservation ${reservation.sid} is ${reservation.status}, not accepted`,
        );
      }
      this.world.taskrouter.tasks.wrap(task, null);
      return;
    }
    if (reservation.status !== 'accepted' && reservation.status !== 'wrapping') {
      throw apiErrors.invalid(
        `Reservation ${reservation.sid} is ${reservation.status}, not accepted or wrapping`,
      );
    }
    if (task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping') {
      this.world.taskrouter.tasks.complete(task, 'Reservation completed');
    } else {
      this.end(reservation, 'completed');
    }
  }

  /** Moves the reservation to a final (or wrapping) status and emits its event. */
  end(reservation: ReservationRecord, status: ReservationStatus): void {
    if (reservation.status === status) return;
    this.setStatus(reservation, status);
    const name = eventName[status];
    if (name !== undefined) {
      emitTaskRouterEvent(
        this.world,
        name,
        this.taskOf(reservation),
        reservation,
        `Reservation ${status}`,
      );
    }
    this.world.taskrouter.dispatchSoon();
  }

  private timeout(reservation: ReservationRecord): void {
    const task = this.taskOf(reservation);
    this.end(reservation, 'timeout');
    const timeoutActivity = this.world.taskrouter.workspace.timeoutActivitySid;
    if (timeoutActivity !== null) {
      this.world.taskrouter.workspace.setActivity(reservation.workerSid, timeoutActivity);
    }
    this.world.taskrouter.tasks.requeue(task);
  }

  private setStatus(reservation: ReservationRecord, status: ReservationStatus): void {
    reservation.status = status;
    reservation.dateUpdated = this.world.clock.now();
    if (status !== 'pending') {
      reservation.timer?.cancel();
      reservation.timer = null;
    }
    // No world.changed(): a reservation changes nothing a call hears (see Tasks.touch).
  }

  private taskOf(reservation: ReservationRecord): TaskRecord {
    const task = this.world.taskrouter.tasks.get(reservation.taskSid);
    if (task === undefined) throw new Error(`reservation ${reservation.sid} has no task`);
    return task;
  }
}

function append(index: Map<string, ReservationRecord[]>, sid: string, item: ReservationRecord) {
  const list = index.get(sid);
  if (list === undefined) index.set(sid, [item]);
  else list.push(item);
}
