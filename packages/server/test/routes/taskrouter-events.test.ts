import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow } from '../support/flow.ts';
import { CONF, WORKER, cloudEvent, eventStreamsDelivery, sid } from '../support/payloads.ts';
import { AUTH_TOKEN } from '../support/app.ts';
import { signBody } from '../support/sign.ts';

const PING = sid('WT', 50);
const lifeline = (kind: string) =>
  JSON.stringify({ lifeline: { conferenceSid: CONF, recoveryId: `${CONF}:1`, kind } });

describe('POST /webhooks/taskrouter-events', () => {
  const h = useHarness();

  async function disconnect() {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.register();
    await flow.agentDrops();
  }

  const post = (delivery: ReturnType<typeof eventStreamsDelivery>) =>
    h.app.inject({
      method: 'POST',
      url: delivery.url,
      headers: delivery.headers,
      payload: delivery.payload,
    });

  it('processes EVERY event of a batch, in order', async () => {
    await disconnect();
    const batch = [
      cloudEvent('task.created', { task_sid: PING, task_attributes: lifeline('ping') }),
      cloudEvent('reservation.accepted', {
        task_sid: PING,
        task_attributes: lifeline('ping'),
        reservation_sid: sid('WR', 50),
        worker_sid: WORKER,
      }),
    ];
    const response = await post(eventStreamsDelivery(batch));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: 2, applied: 2 });
    const stored = await h.app.lifeline.store.load(CONF);
    expect((stored?.snapshot as { value: unknown }).value).toEqual({ recovering: 'reconnecting' });
  });

  it('takes a batch of more than 1 MB (a mass disconnect gathers that much in one window)', async () => {
    await disconnect();
    // Events of calls Lifeline does not follow, each with Flex-sized task attributes.
    const attributes = JSON.stringify({ note: 'x'.repeat(2_000) });
    const batch = Array.from({ length: 700 }, (_, i) =>
      cloudEvent('task.created', { task_sid: sid('WT', 1_000 + i), task_attributes: attributes }),
    );
    batch.push(cloudEvent('task.created', { task_sid: PING, task_attributes: lifeline('ping') }));
    const delivery = eventStreamsDelivery(batch);
    expect(delivery.payload.length).toBeGreaterThan(1024 * 1024);
    const response = await post(delivery);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: 701, applied: 1, ignored: 700 });
  });

  it('accepts a single CloudEvent object', async () => {
    await disconnect();
    const response = await post(
      eventStreamsDelivery(
        cloudEvent('task.created', { task_sid: PING, task_attributes: lifeline('ping') }),
      ),
    );
    expect(response.json()).toMatchObject({ received: 1, applied: 1 });
  });

  it('ignores a redelivered CloudEvent id', async () => {
    await disconnect();
    const event = cloudEvent(
      'task.created',
      { task_sid: PING, task_attributes: lifeline('ping') },
      'EVdup',
    );
    expect((await post(eventStreamsDelivery([event]))).json()).toMatchObject({ applied: 1 });
    const version = (await h.app.lifeline.store.load(CONF))?.version;
    const again = (await post(eventStreamsDelivery([event]))).json();
    // Recognised either by its id (duplicate) or by the chart (nothing left to change).
    expect(again.applied).toBe(0);
    expect(again.duplicates + again.ignored).toBe(1);
    expect((await h.app.lifeline.store.load(CONF))?.version).toBe(version);
  });

  it('rejects a body that does not match bodySHA256 with 403', async () => {
    await disconnect();
    const delivery = eventStreamsDelivery([
      cloudEvent('task.created', { task_sid: PING, task_attributes: lifeline('ping') }),
    ]);
    const tampered = delivery.payload.replace(PING, sid('WT', 51));
    const response = await h.app.inject({
      method: 'POST',
      url: delivery.url,
      headers: delivery.headers,
      payload: tampered,
    });
    expect(response.statusCode).toBe(403);
  });

  it('rejects a URL without bodySHA256 even when signed', async () => {
    const payload = JSON.stringify([]);
    const response = await h.app.inject({
      method: 'POST',
      url: '/webhooks/taskrouter-events',
      headers: {
        'content-type': 'application/json',
        'x-twilio-signature': signBody(
          AUTH_TOKEN,
          'https://lifeline.test/webhooks/taskrouter-events',
        ),
      },
      payload,
    });
    expect(response.statusCode).toBe(403);
  });

  it('applies every valid event of a batch, skips and records the malformed one, answers 200', async () => {
    await disconnect();
    const before = await h.app.lifeline.store.load(CONF);
    const good = cloudEvent('task.created', { task_sid: PING, task_attributes: lifeline('ping') });
    const bad = cloudEvent('task.canceled', { task_attributes: lifeline('ping') });
    const response = await post(eventStreamsDelivery([bad, good, 'not an event']));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: 3, applied: 1, malformed: 2 });
    expect((await h.app.lifeline.store.load(CONF))?.version).toBeGreaterThan(before?.version ?? 0);
    const counted = (await h.app.lifeline.metrics.webhooks.get()).values.find(
      (value) => value.labels['outcome'] === 'malformed',
    );
    expect(counted?.value).toBe(2);
  });

  it('refuses a single malformed event (not a batch) with 400 naming the field', async () => {
    const bad = cloudEvent('task.canceled', { task_attributes: lifeline('ping') });
    const response = await post(eventStreamsDelivery(bad));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'body.data.payload.task_sid' });
  });

  it('ignores events of tasks that are not Lifeline recoveries', async () => {
    const response = await post(
      eventStreamsDelivery([
        cloudEvent('task.created', {
          task_sid: sid('WT', 77),
          task_attributes: '{"type":"inbound"}',
        }),
      ]),
    );
    expect(response.json()).toMatchObject({ received: 1, ignored: 1, applied: 0 });
  });
});
