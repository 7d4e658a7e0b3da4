import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { PUBLIC_BASE_URL } from '../support/app.ts';
import { enqueueEnded } from '../support/enqueue-action.ts';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { CONF, CUSTOMER, cloudEvent, sid } from '../support/payloads.ts';

const RECONNECT = sid('WT', 70);

function enqueueEndedWith(app: FastifyInstance, queueResult: string, signature?: string) {
  const params = { CallSid: CUSTOMER, QueueResult: queueResult, QueueTime: '30' };
  return enqueueEnded(app, params, signature === undefined ? {} : { signature });
}

async function customerQueuedForReconnect(flow: Flow, app: FastifyInstance) {
  await flow.threePartyCall();
  await flow.agentDrops();
  await app.lifeline.runner.drain();
  await flow.pingAccepted(flow.pingTask().sid);
  await flow.reconnectQueued(RECONNECT);
  expect(await stateOf(app)).toEqual({ recovering: 'reconnecting' });
}

describe("the customer's Enqueue action callback", () => {
  const h = useHarness('memory');

  it('queues a caller whose task was canceled for a reason other than a hang-up again, for anyone', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await customerQueuedForReconnect(flow, h.app);
    const tagged = JSON.stringify({
      lifeline: { conferenceSid: CONF, recoveryId: `${CONF}:1`, kind: 'reconnect' },
    });
    await flow.taskRouter([
      cloudEvent('task.canceled', {
        task_sid: RECONNECT,
        task_attributes: tagged,
        task_canceled_reason: 'Task TTL Exceeded',
      }),
    ]);
    expect(await stateOf(h.app)).toEqual({ recovering: 'reconnecting' });

    const response = await enqueueEndedWith(h.app, 'leave');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/xml');
    expect(response.body).toContain(
      `action="${PUBLIC_BASE_URL}/webhooks/enqueue-ended?conferenceSid=${CONF}"`,
    );
    expect(response.body).toContain('&quot;escalated&quot;:true');
    expect(response.body).not.toContain('targetWorkerSid');
    expect(await stateOf(h.app)).toEqual({ recovering: 'escalated' });
  });

  it('ends the recovery as abandoned when the caller hung up in the queue', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await customerQueuedForReconnect(flow, h.app);
    const response = await enqueueEndedWith(h.app, 'hangup');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<Enqueue');
    expect(await stateOf(h.app)).toBe('abandoned');
  });

  it('refuses a request without a valid signature', async () => {
    const response = await enqueueEndedWith(h.app, 'leave', 'not-a-signature');
    expect(response.statusCode).toBe(403);
  });
});
