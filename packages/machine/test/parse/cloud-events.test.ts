import { describe, expect, it } from 'vitest';
import type { CloudEvent, JsonObject } from '../../src/index.ts';
import {
  PayloadError,
  parseCloudEvents,
  toTaskRouterEvent,
  wrappedTaskOf,
} from '../../src/index.ts';
import { CONF, RECONNECT_TASK, WORKER, sidOf, tag } from '../fixtures.ts';

const TIME = '2026-11-25T12:00:03.000Z';

function cloudEvent(type: string, payload: JsonObject, id = 'EV1'): JsonObject {
  return {
    specversion: '1.0',
    type: `com.twilio.taskrouter.${type}`,
    source: '/v1/Workspaces/WS1',
    id,
    time: TIME,
    datacontenttype: 'application/json',
    dataschema: 'https://events-schemas.twilio.com/TaskRouter.WDSEvent/1',
    data: { payload },
  };
}

const reconnectAttributes = { isReconnect: true, lifeline: { ...tag('reconnect') } };
const basePayload: JsonObject = {
  eventtype: 'reservation.accepted',
  task_sid: RECONNECT_TASK,
  // Event Streams sends the task's attributes as a JSON string.
  task_attributes: JSON.stringify(reconnectAttributes),
  reservation_sid: sidOf('WR', 5),
  worker_sid: WORKER,
  task_queue_sid: sidOf('WQ', 1),
  timestamp: '2026-11-25T12:00:02.500Z',
};

function first(body: unknown): CloudEvent {
  const [parsed] = parseCloudEvents(body);
  if (parsed === undefined) throw new Error('no event parsed');
  return parsed;
}

const one = (type: string, payload: JsonObject = basePayload) => first(cloudEvent(type, payload));

function payloadErrorOf(run: () => unknown): PayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof PayloadError) return error;
    throw error;
  }
  throw new Error('expected a PayloadError');
}

describe('parseCloudEvents', () => {
  it('reads every element of a batch (an array)', () => {
    const events = parseCloudEvents([
      cloudEvent('task.created', basePayload, 'EV1'),
      cloudEvent('reservation.accepted', basePayload, 'EV2'),
    ]);
    expect(events.map((e) => [e.id, e.type])).toEqual([
      ['EV1', 'com.twilio.taskrouter.task.created'],
      ['EV2', 'com.twilio.taskrouter.reservation.accepted'],
    ]);
    expect(events[0]).toMatchObject({ source: '/v1/Workspaces/WS1', time: TIME });
  });

  it('reads a single object as a batch of one', () => {
    expect(parseCloudEvents(cloudEvent('task.created', basePayload))).toHaveLength(1);
  });

  it.each<[string, unknown]>([
    ['body', []],
    ['body', 'hello'],
    ['body[1]', [cloudEvent('task.created', basePayload), 7]],
    ['body.data', { id: 'EV1', type: 'x' }],
    ['body[0].id', [{ type: 'x', data: {} }]],
    ['body.type', { id: 'EV1', data: {} }],
  ])('names %s when the body is malformed', (field, body) => {
    expect(payloadErrorOf(() => parseCloudEvents(body)).field).toBe(field);
  });
});

describe('toTaskRouterEvent', () => {
  it('reads an accepted reservation with its attributes and lifeline tag', () => {
    expect(toTaskRouterEvent(one('reservation.accepted'))).toEqual({
      type: 'reservation.accepted',
      at: Date.parse('2026-11-25T12:00:02.500Z'),
      taskSid: RECONNECT_TASK,
      attributes: reconnectAttributes,
      lifeline: { conferenceSid: CONF, recoveryId: `${CONF}:1`, kind: 'reconnect' },
      reservationSid: sidOf('WR', 5),
      workerSid: WORKER,
    });
  });

  it.each([
    ['task.created', 'task.created'],
    ['task-queue.entered', 'task.queueEntered'],
    ['task.canceled', 'task.canceled'],
    ['task.completed', 'task.completed'],
    ['reservation.rejected', 'reservation.rejected'],
    ['reservation.timeout', 'reservation.timeout'],
  ])('maps %s to %s', (type, expected) => {
    expect(toTaskRouterEvent(one(type))?.type).toBe(expected);
  });

  it('keeps the queue of a queue entry and the reason of a cancel', () => {
    expect(toTaskRouterEvent(one('task-queue.entered'))).toMatchObject({
      taskQueueSid: sidOf('WQ', 1),
    });
    const canceled = toTaskRouterEvent(
      one('task.canceled', { ...basePayload, task_canceled_reason: 'Task TTL Exceeded' }),
    );
    expect(canceled).toMatchObject({ reason: 'Task TTL Exceeded' });
  });

  it('returns null for event types the recovery does not act on', () => {
    expect(toTaskRouterEvent(one('reservation.created'))).toBeNull();
    expect(toTaskRouterEvent(one('worker.activity.update'))).toBeNull();
  });

  it('has no lifeline tag for a task Lifeline did not create', () => {
    const event = toTaskRouterEvent(
      one('task.created', { ...basePayload, task_attributes: '{"from":"+1555"}' }),
    );
    expect(event).toMatchObject({ lifeline: null, attributes: { from: '+1555' } });
  });

  it('falls back to the CloudEvent time when the payload has no timestamp', () => {
    const payload = Object.fromEntries(
      Object.entries(basePayload).filter(([key]) => key !== 'timestamp'),
    );
    expect(toTaskRouterEvent(one('task.created', payload))?.at).toBe(Date.parse(TIME));
  });

  it.each<[string, JsonObject]>([
    ['data.payload.task_sid', { ...basePayload, task_sid: '' }],
    ['data.payload.task_attributes', { ...basePayload, task_attributes: '{not json' }],
    ['data.payload.task_attributes', { ...basePayload, task_attributes: '[1,2]' }],
    ['data.payload.task_attributes', { ...basePayload, task_attributes: 5 }],
    ['data.payload.reservation_sid', { ...basePayload, reservation_sid: null }],
    ['data.payload.worker_sid', { ...basePayload, worker_sid: 7 }],
    ['data.payload.timestamp', { ...basePayload, timestamp: 'soon' }],
  ])('names %s when it is malformed', (field, payload) => {
    const error = payloadErrorOf(() => toTaskRouterEvent(one('reservation.accepted', payload)));
    expect(error.field).toBe(field);
  });

  it('names data.payload when there is none', () => {
    const event = first({ id: 'EV1', type: 'com.twilio.taskrouter.task.created', data: {} });
    expect(payloadErrorOf(() => toTaskRouterEvent(event)).field).toBe('data.payload');
  });
});

describe('a task gone to wrapping (task.wrapup)', () => {
  it('names the task and when, for the conference to check who is still there', () => {
    expect(wrappedTaskOf(one('task.wrapup'))).toEqual({
      taskSid: RECONNECT_TASK,
      at: Date.parse('2026-11-25T12:00:02.500Z'),
    });
    // Not one of the events the statechart itself acts on.
    expect(toTaskRouterEvent(one('task.wrapup'))).toBeNull();
  });

  it('is null for any other event', () => {
    expect(wrappedTaskOf(one('reservation.wrapup'))).toBeNull();
    expect(wrappedTaskOf(one('task.completed'))).toBeNull();
  });

  it('names data.payload.task_sid when it is malformed', () => {
    const error = payloadErrorOf(() =>
      wrappedTaskOf(one('task.wrapup', { ...basePayload, task_sid: '' })),
    );
    expect(error.field).toBe('data.payload.task_sid');
  });
});
