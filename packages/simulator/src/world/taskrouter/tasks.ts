import { apiErrors, TwilioApiError } from '../../errors.ts';
import { taskResolver, matches, ExpressionError } from '../../expressions/index.ts';
import type { JsonObject } from '../../json.ts';
import { parseJsonObject } from '../../json.ts';
import { newSid } from '../../sids.ts';
import type { EnqueueVerb } from '../../twiml.ts';
import type { CallRecord, TaskRecord, TaskStatus } from '../records.ts';
import type { World } from '../world.ts';
import { emitTaskRouterEvent } from './events.ts';

export interface NewTask {
  workflowSid: string;
  /** JSON text. */
  attributes?: string;
  priority?: number;
  /** TTL in seconds (default 86400). */
  timeout?: number;
  /** Channel unique name or TC SID (default `default`). */
  taskChannel?: string;
}

export interface TaskChanges {
  attributes?: string;
  priority?: number;
  assignmentStatus?: string;
  reason?: string;
  /** The ETag the caller saw (If-Match); the update fails with 412 if the task moved on. */
  ifMatch?: string;
}

export interface TaskFilter {
  assignmentStatus?: string[];
  workflowSid?: string;
  taskQueueSid?: string;
  evaluateTaskAttributes?: string;
  ordering?: string;
}

const live: readonly TaskStatus[] = ['pending', 'reserved'];

export function etagOf(task: TaskRecord): string {
  return `"${task.version}"`;
}

function sameEtag(given: string, task: TaskRecord): boolean {
  const bare = given.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return bare === String(task.version);
}

/** Task lifecycle: creation (REST or <Enqueue>), updates, TTL, cancel, wrap-up and completion. */
export class Tasks {
  private readonly records = new Map<string, TaskRecord>();

  constructor(private readonly world: World) {}

  get(sid: string): TaskRecord | undefined {
    return this.records.get(sid);
  }

  all(): TaskRecord[] {
    return [...this.records.values()];
  }

  create(init: NewTask): TaskRecord {
    const workspace = this.world.taskrouter.workspace;
    const workflow = workspace.workflows.get(init.workflowSid);
    if (workflow === undefined)
      throw apiErrors.invalid(`Workflow ${init.workflowSid} not found in workspace`);
    const attributes = init.attributes ?? '{}';
    if (parseJsonObject(attributes) === null)
      throw apiErrors.invalid('Attributes must be a JSON object');
    const channel = workspace.channel(init.taskChannel ?? 'default');
    if (channel === undefined)
      throw apiErrors.invalid(`TaskChannel ${init.taskChannel ?? ''} not found`);
    const now = this.world.clock.now();
    const task: TaskRecord = {
      sid: newSid('WT'),
      attributes,
      priority: init.priority ?? 0,
      timeout: init.timeout ?? 86_400,
      assignmentStatus: 'pending',
      reason: null,
      workflowSid: workflow.sid,
      taskChannelSid: channel.sid,
      taskQueueSid: null,
      taskQueueEnteredDate: null,
      dateCreated: now,
      dateUpdated: now,
      version: 0,
      routing: {
        filterIndex: null,
        targetIndex: 0,
        targetTimer: null,
        targetExpired: false,
        rejectedBy: new Set(),
      },
      ttlTimer: null,
      queuedCallSid: null,
    };
    this.records.set(task.sid, task);
    task.ttlTimer = this.world.clock.after(this.world.scaledMs(task.timeout), () => {
      task.ttlTimer = null;
      if (live.includes(task.assignmentStatus)) this.cancel(task, 'Task TTL Exceeded');
    });
    emitTaskRouterEvent(this.world, 'task.created', task, null, 'Task created');
    this.world.taskrouter.routing.route(task);
    return task;
  }

  /**
   * <Enqueue workflowSid><Task>: a task whose attributes are the given JSON plus what Twilio
   * adds about the call. Null (and a timeline note) when the TwiML is unusable.
   */
  enqueueCall(call: CallRecord, verb: EnqueueVerb): TaskRecord | null {
    const given = verb.task === null ? {} : parseJsonObject(verb.task.attributes || '{}');
    if (given === null) {
      this.world.calls.note(call, '<Task> body is not a JSON object: <Enqueue> skipped');
      return null;
    }
    const attributes: JsonObject = {
      ...given,
      call_sid: call.sid,
      account_sid: this.world.options.accountSid,
      from: call.from,
      to: call.to,
      caller: call.from,
      called: call.to,
      direction: call.direction === 'inbound' ? 'inbound' : 'outbound',
    };
    try {
      const task = this.create({
        workflowSid: verb.workflowSid ?? '',
        attributes: JSON.stringify(attributes),
        ...(verb.task?.priority == null ? {} : { priority: verb.task.priority }),
        ...(verb.task?.timeout == null ? {} : { timeout: verb.task.timeout }),
        taskChannel: 'voice',
      });
      task.queuedCallSid = call.sid;
      return task;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.world.calls.note(call, `<Enqueue> failed: ${why}`);
      return null;
    }
  }

  update(task: TaskRecord, changes: TaskChanges): TaskRecord {
    if (changes.ifMatch !== undefined && !sameEtag(changes.ifMatch, task))
      throw apiErrors.preconditionFailed();
    if (changes.attributes !== undefined && parseJsonObject(changes.attributes) === null) {
      throw apiErrors.invalid('Attributes must be a JSON object');
    }
    const status = changes.assignmentStatus;
    if (status !== undefined && !['canceled', 'completed', 'wrapping'].includes(status)) {
      throw apiErrors.invalid(`AssignmentStatus ${status} cannot be set`);
    }
    if (status === 'canceled' && !live.includes(task.assignmentStatus)) {
      throw apiErrors.invalid(
        `Cannot cancel task ${task.sid}: it is ${task.assignmentStatus}, not pending or reserved`,
      );
    }
    if (status === 'completed' && !['assigned', 'wrapping'].includes(task.assignmentStatus)) {
      throw apiErrors.invalid(
        `Cannot complete task ${task.sid}: it is ${task.assignmentStatus}, not assigned or wrapping`,
      );
    }
    if (status === 'wrapping' && task.assignmentStatus !== 'assigned') {
      throw apiErrors.invalid(
        `Cannot wrap task ${task.sid}: it is ${task.assignmentStatus}, not assigned`,
      );
    }
    let reroute = false;
    if (changes.attributes !== undefined && changes.attributes !== task.attributes) {
      task.attributes = changes.attributes;
      reroute = true;
    }
    if (changes.priority !== undefined && changes.priority !== task.priority) {
      task.priority = changes.priority;
      reroute = true;
    }
    if (reroute) {
      this.touch(task);
      emitTaskRouterEvent(this.world, 'task.updated', task, null, 'Task updated');
      // Attribute changes re-run the workflow for a task still waiting for a worker.
      if (live.includes(task.assignmentStatus)) this.world.taskrouter.routing.reroute(task);
    }
    const reason = changes.reason ?? null;
    if (status === 'canceled') this.cancel(task, reason ?? 'Task canceled');
    if (status === 'wrapping') this.wrap(task, reason);
    if (status === 'completed') this.complete(task, reason ?? 'Task completed');
    return task;
  }

  cancel(task: TaskRecord, reason: string): void {
    if (!live.includes(task.assignmentStatus)) return;
    this.stopTimers(task);
    const reservation = this.world.taskrouter.reservations.pendingFor(task.sid);
    task.assignmentStatus = 'canceled';
    task.reason = reason;
    this.touch(task);
    if (reservation !== undefined) this.world.taskrouter.reservations.end(reservation, 'canceled');
    emitTaskRouterEvent(this.world, 'task.canceled', task, null, `Task canceled: ${reason}`);
    const callSid = task.queuedCallSid;
    task.queuedCallSid = null;
    if (callSid !== null) this.world.calls.leftQueue(callSid, `task canceled: ${reason}`);
    this.world.taskrouter.dispatchSoon();
  }

  /** The task's reservation was accepted. */
  assign(task: TaskRecord): void {
    this.stopTimers(task);
    task.assignmentStatus = 'assigned';
    this.touch(task);
  }

  /** Back to waiting after a reservation ended without acceptance. */
  requeue(task: TaskRecord): void {
    if (task.assignmentStatus !== 'reserved') return;
    task.assignmentStatus = 'pending';
    this.touch(task);
    this.world.taskrouter.routing.requeued(task);
    this.world.taskrouter.dispatchSoon();
  }

  wrap(task: TaskRecord, reason: string | null): void {
    if (task.assignmentStatus !== 'assigned') return;
    task.assignmentStatus = 'wrapping';
    if (reason !== null) task.reason = reason;
    this.touch(task);
    const reservation = this.world.taskrouter.reservations.activeFor(task.sid);
    if (reservation !== undefined) this.world.taskrouter.reservations.end(reservation, 'wrapping');
    emitTaskRouterEvent(this.world, 'task.wrapup', task, reservation ?? null, 'Task wrapping up');
  }

  complete(task: TaskRecord, reason: string): void {
    if (task.assignmentStatus !== 'assigned' && task.assignmentStatus !== 'wrapping') return;
    task.assignmentStatus = 'completed';
    task.reason = reason;
    this.touch(task);
    const reservation = this.world.taskrouter.reservations.activeFor(task.sid);
    if (reservation !== undefined) this.world.taskrouter.reservations.end(reservation, 'completed');
    emitTaskRouterEvent(
      this.world,
      'task.completed',
      task,
      reservation ?? null,
      `Task completed: ${reason}`,
    );
    this.world.taskrouter.dispatchSoon();
  }

  /** The waiting call went away by itself (hung up, or given new TwiML). */
  callLeftQueue(taskSid: string, why: 'hangup' | 'redirect'): void {
    const task = this.records.get(taskSid);
    if (task === undefined) return;
    task.queuedCallSid = null;
    if (live.includes(task.assignmentStatus)) this.cancel(task, why);
  }

  list(filter: TaskFilter): TaskRecord[] {
    let tasks = this.all();
    if (filter.assignmentStatus !== undefined && filter.assignmentStatus.length > 0) {
      const wanted = filter.assignmentStatus;
      tasks = tasks.filter((t) => wanted.includes(t.assignmentStatus));
    }
    if (filter.workflowSid !== undefined)
      tasks = tasks.filter((t) => t.workflowSid === filter.workflowSid);
    if (filter.taskQueueSid !== undefined)
      tasks = tasks.filter((t) => t.taskQueueSid === filter.taskQueueSid);
    const expression = filter.evaluateTaskAttributes;
    if (expression !== undefined && expression !== '') {
      try {
        tasks = tasks.filter((t) =>
          matches(expression, taskResolver(parseJsonObject(t.attributes) ?? {})),
        );
      } catch (error) {
        if (error instanceof ExpressionError) throw new TwilioApiError(400, 20001, error.message);
        throw error;
      }
    }
    return sortTasks(tasks, filter.ordering);
  }

  private stopTimers(task: TaskRecord): void {
    task.ttlTimer?.cancel();
    task.ttlTimer = null;
    task.routing.targetTimer?.cancel();
    task.routing.targetTimer = null;
  }

  /**
   * No world.changed(): what a call hears never depends on a task (a queued call's music is
   * its place), and each change made the timeline recompute every live call.
   */
  touch(task: TaskRecord): void {
    task.version++;
    task.dateUpdated = this.world.clock.now();
  }
}

/** Ordering like `DateCreated:asc,Priority:desc` (the API's default is DateCreated ascending). */
function sortTasks(tasks: TaskRecord[], ordering: string | undefined): TaskRecord[] {
  const keys = (ordering ?? 'DateCreated:asc')
    .split(',')
    .map((part) => part.split(':'))
    .map(([field, direction]) => ({ field: field ?? '', sign: direction === 'desc' ? -1 : 1 }));
  return [...tasks].sort((a, b) => {
    for (const { field, sign } of keys) {
      const diff =
        field === 'Priority'
          ? a.priority - b.priority
          : field === 'DateCreated'
            ? a.dateCreated - b.dateCreated
            : 0;
      if (diff !== 0) return diff * sign;
    }
    return 0;
  });
}
