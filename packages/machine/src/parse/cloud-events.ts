import { readLifelineTag } from '../attributes.ts';
import type { TaskRouterEvent } from '../events.ts';
import type { JsonObject } from '../json.ts';
import { isJsonObject } from '../json.ts';
import { PayloadError } from './payload-error.ts';

/** One CloudEvent from a TaskRouter Event Streams webhook sink. */
export interface CloudEvent {
  id: string;
  type: string;
  source: string;
  time: string | null;
  data: JsonObject;
}

const taskRouterTypes = {
  'com.twilio.taskrouter.task.created': 'task.created',
  'com.twilio.taskrouter.task-queue.entered': 'task.queueEntered',
  'com.twilio.taskrouter.task.canceled': 'task.canceled',
  'com.twilio.taskrouter.task.completed': 'task.completed',
  'com.twilio.taskrouter.reservation.accepted': 'reservation.accepted',
  'com.twilio.taskrouter.reservation.rejected': 'reservation.rejected',
  'com.twilio.taskrouter.reservation.timeout': 'reservation.timeout',
} as const satisfies Record<string, TaskRouterEvent['type']>;

type ActedOnType = keyof typeof taskRouterTypes;

function isActedOn(type: string): type is ActedOnType {
  return Object.hasOwn(taskRouterTypes, type);
}

function str(object: JsonObject, key: string, field: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '')
    throw new PayloadError(field, 'must be a non-empty string');
  return value;
}

function optStr(object: JsonObject, key: string): string | null {
  const value = object[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A sink body: a JSON array of CloudEvents (batching on), or a single one. */
export function parseCloudEvents(body: unknown): CloudEvent[] {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) throw new PayloadError('body', 'holds no events');
  return items.map((item: unknown, index) => {
    const at = Array.isArray(body) ? `[${index}]` : '';
    if (!isJsonObject(item)) throw new PayloadError(`body${at}`, 'must be a CloudEvent object');
    const data = item['data'];
    if (!isJsonObject(data)) throw new PayloadError(`body${at}.data`, 'must be an object');
    return {
      id: str(item, 'id', `body${at}.id`),
      type: str(item, 'type', `body${at}.type`),
      source: optStr(item, 'source') ?? '',
      time: optStr(item, 'time'),
      data,
    };
  });
}

function parseAttributes(raw: unknown, field: string): JsonObject {
  if (raw === undefined || raw === null || raw === '') return {};
  if (isJsonObject(raw)) return raw;
  if (typeof raw !== 'string') throw new PayloadError(field, 'must be a JSON string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new PayloadError(field, 'is not valid JSON');
  }
  if (!isJsonObject(parsed)) throw new PayloadError(field, 'must be a JSON object');
  return parsed;
}

/**
 * The machine event for a TaskRouter CloudEvent, or null for event types the recovery
 * does not act on (they are still accepted and recorded).
 */
export function toTaskRouterEvent(cloudEvent: CloudEvent): TaskRouterEvent | null {
  if (!isActedOn(cloudEvent.type)) return null;
  const payload = cloudEvent.data['payload'];
  if (!isJsonObject(payload)) throw new PayloadError('data.payload', 'must be an object');
  const taskSid = str(payload, 'task_sid', 'data.payload.task_sid');
  const attributes = parseAttributes(payload['task_attributes'], 'data.payload.task_attributes');
  const stamp = optStr(payload, 'timestamp') ?? cloudEvent.time;
  const at = stamp === null ? Number.NaN : Date.parse(stamp);
  if (Number.isNaN(at)) throw new PayloadError('data.payload.timestamp', 'must be a date');
  const base = { at, taskSid, attributes, lifeline: readLifelineTag(attributes) };
  const type = taskRouterTypes[cloudEvent.type];
  switch (type) {
    case 'task.created':
    case 'task.completed':
      return { type, ...base };
    case 'task.queueEntered':
      return { type, ...base, taskQueueSid: optStr(payload, 'task_queue_sid') };
    case 'task.canceled':
      return {
        type,
        ...base,
        reason: optStr(payload, 'task_canceled_reason') ?? optStr(payload, 'reason'),
      };
    case 'reservation.accepted':
    case 'reservation.rejected':
    case 'reservation.timeout':
      return {
        type,
        ...base,
        reservationSid: str(payload, 'reservation_sid', 'data.payload.reservation_sid'),
        workerSid: str(payload, 'worker_sid', 'data.payload.worker_sid'),
      };
  }
}

const WRAPUP = 'com.twilio.taskrouter.task.wrapup';

/**
 * A task that went to wrapping, as Flex wraps a voice task when the agent's leg leaves the
 * call: the sign, delivered again until acknowledged (Event Streams), that a conference
 * callback may have told of a leave Lifeline never heard (they are not retried). Null for
 * any other event.
 */
export function wrappedTaskOf(cloudEvent: CloudEvent): { taskSid: string; at: number } | null {
  if (cloudEvent.type !== WRAPUP) return null;
  const payload = cloudEvent.data['payload'];
  if (!isJsonObject(payload)) throw new PayloadError('data.payload', 'must be an object');
  const taskSid = str(payload, 'task_sid', 'data.payload.task_sid');
  const stamp = optStr(payload, 'timestamp') ?? cloudEvent.time;
  const at = stamp === null ? Number.NaN : Date.parse(stamp);
  if (Number.isNaN(at)) throw new PayloadError('data.payload.timestamp', 'must be a date');
  return { taskSid, at };
}
