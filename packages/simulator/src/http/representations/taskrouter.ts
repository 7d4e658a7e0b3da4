import { iso8601, iso8601OrNull } from '../../dates.ts';
import type { JsonObject } from '../../json.ts';
import type {
  ReservationRecord,
  TaskQueueRecord,
  TaskRecord,
  WorkerRecord,
  WorkflowRecord,
} from '../../world/records.ts';
import type { Workspace } from '../../world/taskrouter/workspace.ts';

/** TaskRouter resource URLs are absolute, on Twilio's TaskRouter host. */
const host = 'https://taskrouter.twilio.com';

export interface TaskRouterView {
  accountSid: string;
  workspaceSid: string;
  workspace: Workspace;
  now: number;
}

function ws(view: TaskRouterView): string {
  return `${host}/v1/Workspaces/${view.workspaceSid}`;
}

/** taskrouter.v1.workspace.task */
export function taskJson(view: TaskRouterView, t: TaskRecord): JsonObject {
  const queue = t.taskQueueSid === null ? undefined : view.workspace.queues.get(t.taskQueueSid);
  const channel = view.workspace.channel(t.taskChannelSid);
  const workflow = view.workspace.workflows.get(t.workflowSid);
  const url = `${ws(view)}/Tasks/${t.sid}`;
  return {
    account_sid: view.accountSid,
    age: Math.max(0, Math.floor((view.now - t.dateCreated) / 1000)),
    assignment_status: t.assignmentStatus,
    attributes: t.attributes,
    addons: '{}',
    date_created: iso8601(t.dateCreated),
    date_updated: iso8601(t.dateUpdated),
    task_queue_entered_date: iso8601OrNull(t.taskQueueEnteredDate),
    priority: t.priority,
    reason: t.reason,
    sid: t.sid,
    task_queue_sid: t.taskQueueSid,
    task_queue_friendly_name: queue?.friendlyName ?? null,
    task_channel_sid: t.taskChannelSid,
    task_channel_unique_name: channel?.uniqueName ?? null,
    timeout: t.timeout,
    workflow_sid: t.workflowSid,
    workflow_friendly_name: workflow?.friendlyName ?? null,
    workspace_sid: view.workspaceSid,
    url,
    links: {
      task_queue: t.taskQueueSid === null ? null : `${ws(view)}/TaskQueues/${t.taskQueueSid}`,
      workflow: `${ws(view)}/Workflows/${t.workflowSid}`,
      workspace: ws(view),
      reservations: `${url}/Reservations`,
    },
    virtual_start_time: iso8601(t.dateCreated),
    ignore_capacity: false,
    routing_target: null,
  };
}

/** taskrouter.v1.workspace.task.task_reservation (and the worker_reservation twin) */
export function reservationJson(view: TaskRouterView, r: ReservationRecord): JsonObject {
  const worker = view.workspace.workers.get(r.workerSid);
  return {
    account_sid: view.accountSid,
    date_created: iso8601(r.dateCreated),
    date_updated: iso8601(r.dateUpdated),
    reservation_status: r.status,
    sid: r.sid,
    task_sid: r.taskSid,
    worker_name: worker?.friendlyName ?? null,
    worker_sid: r.workerSid,
    workspace_sid: view.workspaceSid,
    url: `${ws(view)}/Tasks/${r.taskSid}/Reservations/${r.sid}`,
    links: {
      task: `${ws(view)}/Tasks/${r.taskSid}`,
      worker: `${ws(view)}/Workers/${r.workerSid}`,
      workspace: ws(view),
    },
  };
}

/** taskrouter.v1.workspace.worker */
export function workerJson(view: TaskRouterView, w: WorkerRecord): JsonObject {
  const activity = view.workspace.activities.get(w.activitySid);
  const url = `${ws(view)}/Workers/${w.sid}`;
  return {
    account_sid: view.accountSid,
    activity_name: activity?.friendlyName ?? null,
    activity_sid: w.activitySid,
    attributes: w.attributes,
    available: activity?.available ?? false,
    date_created: iso8601(w.dateCreated),
    date_status_changed: iso8601(w.dateStatusChanged),
    date_updated: iso8601(w.dateUpdated),
    friendly_name: w.friendlyName,
    sid: w.sid,
    workspace_sid: view.workspaceSid,
    url,
    links: {
      channels: `${url}/Channels`,
      reservations: `${url}/Reservations`,
      activity: `${ws(view)}/Activities/${w.activitySid}`,
      workspace: ws(view),
    },
  };
}

/** taskrouter.v1.workspace.workflow */
export function workflowJson(view: TaskRouterView, w: WorkflowRecord): JsonObject {
  const url = `${ws(view)}/Workflows/${w.sid}`;
  return {
    account_sid: view.accountSid,
    assignment_callback_url: w.assignmentCallbackUrl,
    configuration: w.configuration,
    date_created: iso8601(w.dateCreated),
    date_updated: iso8601(w.dateUpdated),
    document_content_type: 'application/json',
    fallback_assignment_callback_url: w.fallbackAssignmentCallbackUrl,
    friendly_name: w.friendlyName,
    sid: w.sid,
    task_reservation_timeout: w.taskReservationTimeout,
    workspace_sid: view.workspaceSid,
    url,
    links: {
      statistics: `${url}/Statistics`,
      real_time_statistics: `${url}/RealTimeStatistics`,
      cumulative_statistics: `${url}/CumulativeStatistics`,
    },
  };
}

/** taskrouter.v1.workspace.task_queue */
export function taskQueueJson(view: TaskRouterView, q: TaskQueueRecord): JsonObject {
  const url = `${ws(view)}/TaskQueues/${q.sid}`;
  return {
    account_sid: view.accountSid,
    assignment_activity_sid: null,
    assignment_activity_name: null,
    date_created: iso8601(q.dateCreated),
    date_updated: iso8601(q.dateUpdated),
    friendly_name: q.friendlyName,
    max_reserved_workers: q.maxReservedWorkers,
    reservation_activity_sid: null,
    reservation_activity_name: null,
    sid: q.sid,
    target_workers: q.targetWorkers,
    task_order: q.taskOrder,
    url,
    workspace_sid: view.workspaceSid,
    links: {
      assignment_activity: null,
      reservation_activity: null,
      workspace: ws(view),
      statistics: `${url}/Statistics`,
      real_time_statistics: `${url}/RealTimeStatistics`,
      cumulative_statistics: `${url}/CumulativeStatistics`,
      list_statistics: `${ws(view)}/TaskQueues/Statistics`,
    },
  };
}
