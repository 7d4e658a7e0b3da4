import { iso8601Ms } from '../dates.ts';
import type { JsonObject } from '../json.ts';
import { newSid } from '../sids.ts';
import type { TaskRouterEvent } from '../world/events.ts';

export interface CloudEventContext {
  accountSid: string;
  workspaceSid: string;
  workspaceName: string;
  schemaVersion: number;
}

/** `reservation.accepted` → `ReservationAccepted`, the `data.name` Event Streams gives. */
function eventName(eventType: string): string {
  return eventType
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** A TaskRouter event as the CloudEvent an Event Streams webhook sink receives. */
export function toCloudEvent(context: CloudEventContext, event: TaskRouterEvent): JsonObject {
  const id = newSid('EV');
  const timestamp = iso8601Ms(event.at);
  const group = event.eventType.split('.')[0] ?? 'task';
  const resourceIsReservation = event.reservation !== null && group === 'reservation';
  const payload: JsonObject = {
    sid: id,
    eventtype: event.eventType,
    account_sid: context.accountSid,
    timestamp,
    event_description: event.description,
    resource_type: resourceIsReservation ? 'reservation' : 'task',
    resource_sid:
      resourceIsReservation && event.reservation !== null ? event.reservation.sid : event.task.sid,
    workspace_sid: context.workspaceSid,
    workspace_name: context.workspaceName,
    task_sid: event.task.sid,
    task_attributes: event.task.attributes,
    task_age: Math.max(0, Math.round((event.at - event.task.dateCreated) / 1000)),
    task_date_created: iso8601Ms(event.task.dateCreated),
    task_priority: event.task.priority,
    task_assignment_status: event.task.assignmentStatus,
    task_channel_sid: event.task.channelSid,
    task_channel_unique_name: event.task.channelUniqueName,
    workflow_sid: event.task.workflowSid,
  };
  if (event.task.workflowName !== null) payload['workflow_name'] = event.task.workflowName;
  if (event.task.queueSid !== null) payload['task_queue_sid'] = event.task.queueSid;
  if (event.task.queueName !== null) payload['task_queue_name'] = event.task.queueName;
  if (event.eventType === 'task.canceled') {
    payload['task_canceled_reason'] = event.task.reason ?? '';
    payload['reason'] = event.task.reason ?? '';
  }
  if (event.eventType === 'task.completed') {
    payload['task_completed_reason'] = event.task.reason ?? '';
    payload['reason'] = event.task.reason ?? '';
  }
  if (event.reservation !== null) {
    payload['reservation_sid'] = event.reservation.sid;
    payload['reservation_status'] = event.reservation.status;
  }
  if (event.worker !== null) {
    payload['worker_sid'] = event.worker.sid;
    payload['worker_name'] = event.worker.name;
    payload['worker_attributes'] = event.worker.attributes;
    payload['worker_activity_name'] = event.worker.activityName;
  }
  return {
    specversion: '1.0',
    type: `com.twilio.taskrouter.${event.eventType}`,
    source: `/v1/Workspaces/${context.workspaceSid}/${resourceIsReservation ? 'Reservations' : 'Tasks'}/${String(payload['resource_sid'])}`,
    id,
    time: timestamp,
    datacontenttype: 'application/json',
    dataschema: `https://events-schemas.twilio.com/TaskRouter.WDSEvent/${context.schemaVersion}`,
    data: {
      sid: id,
      name: eventName(event.eventType),
      account_sid: context.accountSid,
      timestamp,
      level: 'INFO',
      group,
      product_name: 'TaskRouter',
      publisher: context.workspaceName,
      publisher_metadata: '{}',
      payload_type: 'application/json',
      schema_version: context.schemaVersion,
      payload,
    },
  };
}
