/**
 * Fault drill: Redis restarts in the middle of a recovery. While it is down, /readyz says
 * not ready and webhooks get 503 (Twilio redelivers on 5xx); once it is back, the redelivered
 * webhook is applied and the recovery ends as it would have, each effect run once.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server.ts';
import { testConfig, uniquePrefix } from '../support/app.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { Flow, stateOf } from '../support/flow.ts';
import {
  AGENT_TOKEN,
  CONF,
  CUSTOMER,
  EXTERNAL,
  RESERVATION,
  TASK,
  WORKER,
  cloudEvent,
  eventStreamsDelivery,
  sid,
} from '../support/payloads.ts';
import { privateRedis } from './private-redis.ts';
import type { PrivateRedis } from './private-redis.ts';

const RECONNECT = sid('WT', 81);

async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function readyStatus(app: FastifyInstance): Promise<number> {
  return (await app.inject({ url: '/readyz' })).statusCode;
}

describe('fault drill: Redis restarts mid-recovery', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('answers 503 while Redis is down, and loses nothing once it is back', async () => {
    const redis: PrivateRedis = await privateRedis();
    cleanups.push(() => redis.destroy());
    const twilio: FakeTwilio = await startFakeTwilio();
    cleanups.push(() => twilio.close());
    twilio.tokens.set(AGENT_TOKEN, { worker_sid: WORKER, roles: ['agent'] });
    twilio.assign({
      conferenceSid: CONF,
      taskSid: TASK,
      workerSid: WORKER,
      reservationSid: RESERVATION,
    });

    // Built from configuration as in production: REDIS_URL gives the fail-fast client.
    const { app } = await createServer(
      testConfig(twilio.url, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() }),
      {
        runLoops: true,
        runner: { baseDelayMs: 5, maxDelayMs: 200, idleMs: 10 },
        timerTickMs: 10,
        fastify: { logger: false },
      },
    );
    cleanups.push(() => app.close());
    await app.ready();
    const flow = new Flow(() => [app], twilio);

    await flow.threePartyCall();
    await flow.agentDrops();
    // The ping task exists and its creation is recorded: nothing is in flight.
    const offered = { recovering: { pinging: 'offered' } };
    await until(async () => isDeepStrictEqual(await stateOf(app), offered), 'the ping task');
    const ping = flow.pingTask();
    const before = await stateOf(app);

    await redis.stop();
    await until(async () => (await readyStatus(app)) === 503, '/readyz not ready', 5_000);

    // The agent answers the ping while Redis is down: Twilio gets 503 and will redeliver.
    const delivery = eventStreamsDelivery([
      cloudEvent('reservation.accepted', {
        task_sid: ping.sid,
        task_attributes: JSON.stringify({
          lifeline: { conferenceSid: CONF, recoveryId: `${CONF}:1`, kind: 'ping' },
        }),
        reservation_sid: sid('WR', 60),
        worker_sid: WORKER,
      }),
    ]);
    const send = () =>
      app.inject({
        method: 'POST',
        url: delivery.url,
        headers: delivery.headers,
        payload: delivery.payload,
      });
    const startedAt = Date.now();
    const refused = await send();
    expect(refused.statusCode).toBe(503);
    // Fast, so Twilio's 15 s webhook timeout never turns it into a silent drop.
    expect(Date.now() - startedAt).toBeLessThan(3_000);

    await redis.start();
    await until(async () => (await readyStatus(app)) === 200, '/readyz ready again', 10_000);
    // Everything written before the restart is still there.
    expect(await stateOf(app)).toEqual(before);

    // Twilio's redelivery of the same event is applied.
    await until(async () => (await send()).statusCode === 200, 'the redelivery accepted', 5_000);
    await until(() => twilio.mutations(`/Calls/${CUSTOMER}.json`).length > 0, 'the enqueue');
    await flow.reconnectQueued(RECONNECT);
    await until(
      () => twilio.reservations.get(RESERVATION) === 'completed',
      'the reservation completion',
    );
    await flow.reconnectAccepted(RECONNECT);
    // The customer's join in the agent's new conference moves the other party; its join
    // there ends the recovery.
    await flow.newConference(sid('CF', 71), RECONNECT, 'participant-join', CUSTOMER);
    await until(() => twilio.mutations(`/Calls/${EXTERNAL}.json`).length > 0, 'the move');
    await flow.newConference(sid('CF', 71), RECONNECT, 'participant-join', EXTERNAL);
    await until(async () => (await stateOf(app)) === 'recovered', 'recovered');

    const pings = [...twilio.tasks.values()].filter((t) => t.attributes.includes('"kind":"ping"'));
    expect(pings).toHaveLength(1);
    expect(twilio.mutations(`/Calls/${CUSTOMER}.json`)).toHaveLength(1);
    expect(twilio.mutations(`/Reservations/${RESERVATION}`)).toHaveLength(1);
  }, 60_000);
});
