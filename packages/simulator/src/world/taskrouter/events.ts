import type { TaskRouterEvent } from '../events.ts';
import type { ReservationRecord, TaskRecord } from '../records.ts';
import type { World } from '../world.ts';

/** Captures a TaskRouter event with the names Event Streams payloads carry, and emits it. */
export function emitTaskRouterEvent(
  world: World,
  eventType: string,
  task: TaskRecord,
  reservation: ReservationRecord | null,
  description: string,
): void {
  const workspace = world.taskrouter.workspace;
  const channel = workspace.channel(task.taskChannelSid);
  const workflow = workspace.workflows.get(task.workflowSid);
  const queue = task.taskQueueSid === null ? undefined : workspace.queues.get(task.taskQueueSid);
  const worker = reservation === null ? undefined : workspace.workers.get(reservation.workerSid);
  const event: TaskRouterEvent = {
    eventType,
    at: world.clock.now(),
    description,
    task: {
      sid: task.sid,
      attributes: task.attributes,
      priority: task.priority,
      assignmentStatus: task.assignmentStatus,
      reason: task.reason,
      dateCreated: task.dateCreated,
      channelSid: task.taskChannelSid,
      channelUniqueName: channel?.uniqueName ?? 'default',
      workflowSid: task.workflowSid,
      workflowName: workflow?.friendlyName ?? null,
      queueSid: task.taskQueueSid,
      queueName: queue?.friendlyName ?? null,
    },
    reservation: reservation === null ? null : { sid: reservation.sid, status: reservation.status },
    worker:
      worker === undefined
        ? null
        : {
            sid: worker.sid,
            name: worker.friendlyName,
            attributes: worker.attributes,
            activityName: workspace.activities.get(worker.activitySid)?.friendlyName ?? '',
          },
  };
  world.events.emit('taskrouter', event);
}
