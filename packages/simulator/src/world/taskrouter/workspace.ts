import { newSid } from '../../sids.ts';
import type { JsonObject } from '../../json.ts';
import type {
  ActivityRecord,
  TaskChannelRecord,
  TaskQueueRecord,
  WorkerRecord,
  WorkflowRecord,
} from '../records.ts';
import { parseWorkflowConfig } from './workflow-config.ts';
import type { World } from '../world.ts';

export interface NewWorker {
  friendlyName: string;
  sid?: string;
  attributes?: JsonObject;
  /** Activity friendly name (Available, Offline, Unavailable, Break); default Available. */
  activity?: string;
  /** Capacity per channel unique name; voice and default are 1 unless given. */
  capacity?: Record<string, number>;
}

export interface NewTaskQueue {
  friendlyName: string;
  sid?: string;
  targetWorkers?: string;
  taskOrder?: 'FIFO' | 'LIFO';
}

export interface NewWorkflow {
  friendlyName: string;
  sid?: string;
  /** The routing configuration: an object or its JSON text. */
  configuration: JsonObject | string;
  /** Seconds (scaled by timing.timeScale); Twilio's default is 120. */
  taskReservationTimeout?: number;
}

/** The TaskRouter set-up the proof of concept documents, created by `addStandardSetup`. */
export interface StandardSetup {
  queueSid: string;
  voiceWorkflowSid: string;
  pingWorkflowSid: string;
}

/**
 * The workspace's configuration: activities, channels, workers, queues and workflows.
 * Tests (and the demo) set it up through `sim.workspace`.
 */
export class Workspace {
  readonly activities = new Map<string, ActivityRecord>();
  readonly channels = new Map<string, TaskChannelRecord>();
  readonly workers = new Map<string, WorkerRecord>();
  readonly queues = new Map<string, TaskQueueRecord>();
  readonly workflows = new Map<string, WorkflowRecord>();
  readonly dateCreated: number;
  /** Activity a worker moves to when a reservation times out; null keeps the worker as is. */
  timeoutActivitySid: string | null = null;

  constructor(private readonly world: World) {
    this.dateCreated = world.clock.now();
    for (const [name, available] of [
      ['Available', true],
      ['Offline', false],
      ['Unavailable', false],
      ['Break', false],
    ] as const) {
      const sid = newSid('WA');
      this.activities.set(sid, { sid, friendlyName: name, available });
    }
    for (const [uniqueName, friendlyName] of [
      ['default', 'Default'],
      ['voice', 'Voice'],
      ['chat', 'Programmable Chat'],
    ] as const) {
      const sid = newSid('TC');
      this.channels.set(sid, { sid, uniqueName, friendlyName });
    }
  }

  activityByName(name: string): ActivityRecord {
    const activity = [...this.activities.values()].find((a) => a.friendlyName === name);
    if (activity === undefined) throw new Error(`no activity named ${name}`);
    return activity;
  }

  /** A channel by SID or unique name. */
  channel(ref: string): TaskChannelRecord | undefined {
    return this.channels.get(ref) ?? [...this.channels.values()].find((c) => c.uniqueName === ref);
  }

  addWorker(init: NewWorker): WorkerRecord {
    const now = this.world.clock.now();
    const sid = init.sid ?? newSid('WK');
    const identity = init.friendlyName.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const attributes: JsonObject = { contact_uri: `client:${identity}`, ...init.attributes };
    const worker: WorkerRecord = {
      sid,
      friendlyName: init.friendlyName,
      attributes: JSON.stringify(attributes),
      activitySid: this.activityByName(init.activity ?? 'Available').sid,
      capacity: { voice: 1, default: 1, ...init.capacity },
      dateCreated: now,
      dateUpdated: now,
      dateStatusChanged: now,
      lastReservedAt: 0,
    };
    this.workers.set(sid, worker);
    this.world.taskrouter.dispatchSoon();
    return worker;
  }

  addQueue(init: NewTaskQueue): TaskQueueRecord {
    const now = this.world.clock.now();
    const sid = init.sid ?? newSid('WQ');
    const queue: TaskQueueRecord = {
      sid,
      friendlyName: init.friendlyName,
      targetWorkers: init.targetWorkers ?? '1==1',
      taskOrder: init.taskOrder ?? 'FIFO',
      maxReservedWorkers: 1,
      dateCreated: now,
      dateUpdated: now,
    };
    this.queues.set(sid, queue);
    return queue;
  }

  addWorkflow(init: NewWorkflow): WorkflowRecord {
    const now = this.world.clock.now();
    const configuration =
      typeof init.configuration === 'string'
        ? init.configuration
        : JSON.stringify(init.configuration);
    const config = parseWorkflowConfig(configuration);
    for (const queueSid of [
      ...config.filters.flatMap((f) => f.targets.map((t) => t.queueSid)),
      ...(config.defaultQueueSid === null ? [] : [config.defaultQueueSid]),
    ]) {
      if (!this.queues.has(queueSid))
        throw new Error(`workflow ${init.friendlyName}: no queue ${queueSid}`);
    }
    const sid = init.sid ?? newSid('WW');
    const workflow: WorkflowRecord = {
      sid,
      friendlyName: init.friendlyName,
      configuration,
      taskReservationTimeout: init.taskReservationTimeout ?? 120,
      assignmentCallbackUrl: null,
      fallbackAssignmentCallbackUrl: null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.workflows.set(sid, workflow);
    return workflow;
  }

  /**
   * The set-up existing Flex users have (the proof of concept's): an "Everyone" queue, a voice
   * workflow whose top filter routes `targetWorkerSid != null` to that known worker, and a
   * "Recovery Ping" workflow routing `disconnectedWorkerSid != null` to that known worker.
   */
  addStandardSetup(
    options: { taskReservationTimeout?: number; knownWorkerTimeout?: number } = {},
  ): StandardSetup {
    const queue = this.addQueue({ friendlyName: 'Everyone' });
    const knownWorker: JsonObject = { queue: queue.sid, known_worker_sid: 'task.targetWorkerSid' };
    if (options.knownWorkerTimeout !== undefined)
      knownWorker['timeout'] = options.knownWorkerTimeout;
    const voice = this.addWorkflow({
      friendlyName: 'Assign to Anyone',
      taskReservationTimeout: options.taskReservationTimeout ?? 120,
      configuration: {
        task_routing: {
          filters: [
            {
              filter_friendly_name: 'Reconnect to known agent',
              expression: 'targetWorkerSid != null',
              targets: [knownWorker],
            },
          ],
          default_filter: { queue: queue.sid },
        },
      },
    });
    const ping = this.addWorkflow({
      friendlyName: 'Recovery Ping',
      taskReservationTimeout: options.taskReservationTimeout ?? 120,
      configuration: {
        task_routing: {
          filters: [
            {
              filter_friendly_name: 'Ping the disconnected agent',
              expression: 'disconnectedWorkerSid != null',
              targets: [{ queue: queue.sid, known_worker_sid: 'task.disconnectedWorkerSid' }],
            },
          ],
          default_filter: { queue: queue.sid },
        },
      },
    });
    return { queueSid: queue.sid, voiceWorkflowSid: voice.sid, pingWorkflowSid: ping.sid };
  }

  /** Changes a worker's activity (also what Workers update ActivitySid does). */
  setActivity(workerSid: string, activity: string): WorkerRecord {
    const worker = this.workers.get(workerSid);
    if (worker === undefined) throw new Error(`no worker ${workerSid}`);
    const record = this.activities.get(activity) ?? this.activityByName(activity);
    if (record.sid !== worker.activitySid) {
      const now = this.world.clock.now();
      worker.activitySid = record.sid;
      worker.dateStatusChanged = now;
      worker.dateUpdated = now;
      this.world.taskrouter.dispatchSoon();
    }
    return worker;
  }

  isAvailable(worker: WorkerRecord): boolean {
    return this.activities.get(worker.activitySid)?.available ?? false;
  }
}
