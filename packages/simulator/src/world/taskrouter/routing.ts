import { lookup, matches, taskResolver, workerResolver } from '../../expressions/index.ts';
import type { JsonObject } from '../../json.ts';
import { parseJsonObject } from '../../json.ts';
import type { TaskRecord, WorkerRecord } from '../records.ts';
import type { World } from '../world.ts';
import { emitTaskRouterEvent } from './events.ts';
import { occupying } from './reservations.ts';
import type { WorkflowConfig, WorkflowTarget } from './workflow-config.ts';
import { parseWorkflowConfig } from './workflow-config.ts';

/** A target that never narrows: the default filter's queue. */
function defaultTarget(queueSid: string): WorkflowTarget {
  return {
    queueSid,
    expression: null,
    knownWorkerSid: null,
    knownWorkerFriendlyName: null,
    priority: null,
    timeout: null,
  };
}

function safeMatches(expression: string, resolve: Parameters<typeof matches>[1]): boolean {
  try {
    return matches(expression, resolve);
  } catch {
    return false;
  }
}

/** A known-worker setting is an expression naming the value: `task.targetWorkerSid`, or a literal. */
function knownValue(setting: string, attributes: JsonObject): string | null {
  const quoted = /^(['"])(.*)\1$/.exec(setting);
  if (quoted !== null) return quoted[2] ?? null;
  const path = setting.split('.');
  const value = lookup(attributes, path[0] === 'task' ? path.slice(1) : path);
  if (value !== undefined) return typeof value === 'string' ? value : null;
  return /^WK[0-9a-fA-F]{32}$/.test(setting) ? setting : null;
}

/**
 * Workflow evaluation and assignment. A task takes the first filter its attributes match,
 * then moves through that filter's targets (each for its timeout), then to the default
 * filter. Waiting tasks are offered, highest priority then oldest first, to the longest-idle
 * available worker with free capacity on the task's channel who fits the current target.
 */
export class Routing {
  private scheduled = false;
  /** Parsed workflow configurations by their JSON text: dispatch asks for one per task and worker. */
  private readonly configs = new Map<string, WorkflowConfig>();

  constructor(private readonly world: World) {}

  config(task: TaskRecord): WorkflowConfig | null {
    const workflow = this.world.taskrouter.workspace.workflows.get(task.workflowSid);
    if (workflow === undefined) return null;
    let config = this.configs.get(workflow.configuration);
    if (config === undefined) {
      config = parseWorkflowConfig(workflow.configuration);
      this.configs.set(workflow.configuration, config);
    }
    return config;
  }

  /** Places a new task in its workflow. */
  route(task: TaskRecord): void {
    const config = this.config(task);
    if (config === null) return;
    const attributes = parseJsonObject(task.attributes) ?? {};
    const index = config.filters.findIndex((filter) =>
      safeMatches(filter.expression, taskResolver(attributes)),
    );
    task.routing.filterIndex = index < 0 ? null : index;
    task.routing.targetIndex = 0;
    task.routing.targetExpired = false;
    this.enterTarget(task, config);
  }

  /** Attributes or priority changed: evaluate the workflow again from the top. */
  reroute(task: TaskRecord): void {
    task.routing.targetTimer?.cancel();
    task.routing.targetTimer = null;
    const pending = this.world.taskrouter.reservations.pendingFor(task.sid);
    this.route(task);
    if (pending !== undefined) {
      const worker = this.world.taskrouter.workspace.workers.get(pending.workerSid);
      if (worker === undefined || !this.fits(task, worker)) {
        this.world.taskrouter.reservations.end(pending, 'rescinded');
        this.world.taskrouter.tasks.requeue(task);
      }
    }
    this.dispatchSoon();
  }

  currentTarget(task: TaskRecord, config: WorkflowConfig): WorkflowTarget | null {
    const filter =
      task.routing.filterIndex === null ? undefined : config.filters[task.routing.filterIndex];
    const target = filter?.targets[task.routing.targetIndex];
    if (target !== undefined) return target;
    return config.defaultQueueSid === null ? null : defaultTarget(config.defaultQueueSid);
  }

  private enterTarget(task: TaskRecord, config: WorkflowConfig): void {
    const target = this.currentTarget(task, config);
    if (target === null) return;
    if (target.priority !== null && target.priority !== task.priority)
      task.priority = target.priority;
    if (task.taskQueueSid !== target.queueSid) {
      task.taskQueueSid = target.queueSid;
      task.taskQueueEnteredDate = this.world.clock.now();
      this.world.taskrouter.tasks.touch(task);
      emitTaskRouterEvent(this.world, 'task-queue.entered', task, null, 'Task entered a queue');
    }
    if (target.timeout !== null && task.routing.filterIndex !== null) {
      task.routing.targetTimer = this.world.clock.after(this.world.scaledMs(target.timeout), () => {
        task.routing.targetTimer = null;
        if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') return;
        // A worker is deciding: the target moves on only if they decline (see requeued).
        if (this.world.taskrouter.reservations.pendingFor(task.sid) !== undefined) {
          task.routing.targetExpired = true;
          return;
        }
        this.nextTarget(task);
      });
    }
    this.dispatchSoon();
  }

  /** The task waits again (reservation rejected or timed out). */
  requeued(task: TaskRecord): void {
    if (task.routing.targetExpired) this.nextTarget(task);
  }

  private nextTarget(task: TaskRecord): void {
    task.routing.targetExpired = false;
    const config = this.config(task);
    if (config === null || task.routing.filterIndex === null) return;
    const filter = config.filters[task.routing.filterIndex];
    task.routing.targetIndex++;
    if (filter === undefined || task.routing.targetIndex >= filter.targets.length) {
      // All of the filter's targets timed out: the task falls to the default filter.
      task.routing.filterIndex = null;
      task.routing.targetIndex = 0;
    }
    this.enterTarget(task, config);
  }

  /** Whether the worker is one the task's current target may go to (ignoring availability). */
  fits(task: TaskRecord, worker: WorkerRecord): boolean {
    const config = this.config(task);
    if (config === null) return false;
    const target = this.currentTarget(task, config);
    if (target === null) return false;
    const attributes = parseJsonObject(task.attributes) ?? {};
    const workerAttributes = parseJsonObject(worker.attributes) ?? {};
    const queue = this.world.taskrouter.workspace.queues.get(target.queueSid);
    if (queue === undefined) return false;
    const resolve = workerResolver({ sid: worker.sid, attributes: workerAttributes }, attributes);
    if (!safeMatches(queue.targetWorkers, resolve)) return false;
    if (
      target.knownWorkerSid !== null &&
      knownValue(target.knownWorkerSid, attributes) !== worker.sid
    )
      return false;
    if (
      target.knownWorkerFriendlyName !== null &&
      knownValue(target.knownWorkerFriendlyName, attributes) !== worker.friendlyName
    ) {
      return false;
    }
    if (target.expression !== null && !safeMatches(target.expression, resolve)) return false;
    return true;
  }

  hasCapacity(task: TaskRecord, worker: WorkerRecord): boolean {
    const workspace = this.world.taskrouter.workspace;
    const channel = workspace.channel(task.taskChannelSid)?.uniqueName ?? 'default';
    const capacity = worker.capacity[channel] ?? 1;
    const used = this.world.taskrouter.reservations.forWorker(worker.sid).filter((r) => {
      if (!occupying.includes(r.status)) return false;
      const other = this.world.taskrouter.tasks.get(r.taskSid);
      return other !== undefined && workspace.channel(other.taskChannelSid)?.uniqueName === channel;
    }).length;
    return used < capacity;
  }

  /** Runs an assignment pass soon (coalesced), as TaskRouter assigns asynchronously. */
  dispatchSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.world.clock.after(0, () => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  dispatch(): void {
    const { tasks, workspace, reservations } = this.world.taskrouter;
    const waiting = tasks
      .all()
      .filter((t) => t.assignmentStatus === 'pending')
      .sort((a, b) => {
        if (a.priority !== b.priority) return b.priority - a.priority;
        const queue = a.taskQueueSid === null ? undefined : workspace.queues.get(a.taskQueueSid);
        const age =
          (a.taskQueueEnteredDate ?? a.dateCreated) - (b.taskQueueEnteredDate ?? b.dateCreated);
        return queue?.taskOrder === 'LIFO' ? -age : age;
      });
    for (const task of waiting) {
      const candidates = [...workspace.workers.values()]
        .filter((worker) => workspace.isAvailable(worker))
        .filter((worker) => !task.routing.rejectedBy.has(worker.sid))
        .filter((worker) => this.hasCapacity(task, worker))
        .filter((worker) => this.fits(task, worker))
        .sort((a, b) => a.lastReservedAt - b.lastReservedAt);
      const worker = candidates[0];
      if (worker !== undefined) reservations.offer(task, worker);
    }
  }
}
