/**
 * enqueueCustomer looks for the customer's new task in its queue right after <Enqueue>, and
 * reports it as the task.queueEntered Event Streams would deliver later: the agent's wrapping
 * reservation is then completed without waiting for Event Streams' batch delay.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Effect } from '@lifeline/machine';
import { execute } from '../../src/effects/executors.ts';
import type { ExecutorContext } from '../../src/effects/executors.ts';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { onFakeTwilio } from '../support/executor.ts';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { RESERVATION, TASK, sid } from '../support/payloads.ts';

const CONFERENCE = sid('CF', 7);
const RECOVERY = `${CONFERENCE}:1`;
const CUSTOMER = sid('CA', 1);
const QUEUED = sid('WT', 80);
const QUEUE = sid('WQ', 1);
const tag = { lifeline: { conferenceSid: CONFERENCE, recoveryId: RECOVERY, kind: 'reconnect' } };

describe('enqueueCustomer reports the customer in the queue', () => {
  let twilio: FakeTwilio;
  let ctx: ExecutorContext;
  beforeEach(async () => {
    let base: ExecutorContext;
    ({ twilio, ctx: base } = await onFakeTwilio());
    ctx = { ...base, queuedTaskLookupsMs: [0, 20] };
  });
  afterEach(() => twilio.close());

  const enqueue: Effect = {
    type: 'enqueueCustomer',
    params: {
      key: `${RECOVERY}:enqueue-reconnect`,
      recoveryId: RECOVERY,
      kind: 'reconnect',
      callSid: CUSTOMER,
      workflowSid: sid('WW', 1),
      priority: 100,
      attributes: { ...tag, isReconnect: true },
    },
  };
  /** What TaskRouter holds once the TwiML ran: the task, routed to a queue or not yet. */
  const queued = (queue: string | null) =>
    twilio.tasks.set(QUEUED, {
      sid: QUEUED,
      attributes: JSON.stringify({ ...tag, isReconnect: true }),
      assignment_status: 'pending',
      priority: 100,
      workflow_sid: sid('WW', 1),
      version: 0,
      task_queue_sid: queue,
    });
  /** What Twilio does once the call takes the <Enqueue> (after answering the update). */
  const onEnqueue = (then: () => void) =>
    twilio.onRequest((call) => {
      if (call.path.endsWith(`/Calls/${CUSTOMER}.json`) && call.body['Twiml']?.includes('Enqueue'))
        setTimeout(then, 5);
    });
  const lookups = () =>
    twilio.calls.filter((call) => call.method === 'GET' && call.path.endsWith('/Tasks'));

  it('reports task.queueEntered, with a delivery id of its own, once TaskRouter shows it queued', async () => {
    // Created as the TwiML runs, after the update's answer: found by the second look.
    onEnqueue(() => queued(QUEUE));
    const outcome = await execute(enqueue, ctx, { mayHaveRunBefore: false });
    expect(outcome.events).toEqual([
      {
        type: 'task.queueEntered',
        at: expect.any(Number),
        taskSid: QUEUED,
        attributes: { ...tag, isReconnect: true },
        lifeline: tag.lifeline,
        taskQueueSid: QUEUE,
      },
    ]);
    expect(outcome.dedupeIds).toEqual([`queued:${QUEUED}`]);
    expect(outcome.detail).toBe(`enqueued (reconnect), in queue as ${QUEUED}`);
  });

  it('leaves it to Event Streams when no task is found', async () => {
    const outcome = await execute(enqueue, ctx, { mayHaveRunBefore: false });
    expect(outcome).toMatchObject({ events: [], detail: 'enqueued (reconnect)' });
    // The look before the enqueue (already queued?) and the two after it.
    expect(lookups()).toHaveLength(3);
  });

  it('leaves it to Event Streams while the workflow has not routed the task to a queue', async () => {
    onEnqueue(() => queued(null));
    expect((await execute(enqueue, ctx, { mayHaveRunBefore: false })).events).toEqual([]);
  });

  it('leaves it to Event Streams when TaskRouter cannot be asked, and the enqueue stands', async () => {
    onEnqueue(() => twilio.failReadsNext(2, 500));
    expect(await execute(enqueue, ctx, { mayHaveRunBefore: false })).toMatchObject({
      events: [],
      detail: 'enqueued (reconnect)',
    });
  });
});

describe('the wrapping reservation, completed once TaskRouter shows the customer queued', () => {
  const h = useHarness();

  it('is completed without waiting for Event Streams to report the queue entry', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    flow.originalTaskWrapping();
    await flow.threePartyCall();
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    // TaskRouter creates the reconnect task as the <Enqueue> runs, and routes it to a queue.
    h.twilio.onRequest((call) => {
      const twiml = call.body['Twiml'];
      const attributes = /<Task[^>]*>(.*)<\/Task>/s.exec(twiml ?? '')?.[1];
      if (attributes === undefined) return;
      setTimeout(() => {
        h.twilio.tasks.set(QUEUED, {
          sid: QUEUED,
          attributes: attributes.replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
          assignment_status: 'pending',
          priority: 100,
          workflow_sid: sid('WW', 1),
          version: 0,
          task_queue_sid: QUEUE,
        });
      }, 5);
    });
    await flow.pingAccepted(flow.pingTask().sid);
    await h.app.lifeline.runner.drain();
    // No task-queue.entered from Event Streams yet: the enqueue's own look found it.
    const completed = h.twilio.mutations(`/Tasks/${TASK}/Reservations/${RESERVATION}`);
    expect(completed.map((call) => call.body['ReservationStatus'])).toEqual(['completed']);
    expect(await stateOf(h.app)).toEqual({ recovering: 'reconnecting' });
  });
});
