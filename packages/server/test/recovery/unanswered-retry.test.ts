/**
 * A ping task created by a request whose answer never came (Twilio slower than the client's
 * timeout, the task made all the same): the retry waits as long again before it looks for
 * the task, finds it, and creates no second one. Measured in scale-out 200: a retry 300 ms
 * after a 10 s timeout looked too soon and made a second ping task.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import RedisMock from 'ioredis-mock';
import { persist, start } from '@lifeline/machine';
import { afterEach, describe, expect, it } from 'vitest';
import { EffectRunner } from '../../src/effects/runner.ts';
import { createMetrics } from '../../src/metrics.ts';
import { RecoveryEngine } from '../../src/recovery/engine.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import { createTwilio } from '../../src/twilio/client.ts';
import { REQUIRED_ENV } from '../support/env.ts';
import { executorContext } from '../support/executor.ts';
import { sid } from '../support/payloads.ts';

const CONFERENCE = sid('CF', 31);
const RECOVERY = `${CONFERENCE}:1`;
const CLIENT_TIMEOUT_MS = 200;
/** Twilio carries the create out this long after it arrived, answering too late. */
const TWILIO_TAKES_MS = 500;

/** TaskRouter's task create and list, the first create answered only after it was made. */
async function slowTaskRouter() {
  const tasks: { sid: string; attributes: string }[] = [];
  let creates = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const json = (value: unknown) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      const page = { page: 0, page_size: 50, next_page_url: null, key: 'tasks' };
      if (request.method === 'GET') return json({ tasks, meta: page });
      creates += 1;
      const task = {
        sid: sid('WT', 100 + creates),
        attributes: new URLSearchParams(body).get('Attributes') ?? '{}',
        assignment_status: 'pending',
      };
      const create = () => tasks.push(task);
      if (creates > 1) {
        create();
        return json(task);
      }
      setTimeout(() => {
        create();
        if (!response.destroyed) json(task);
      }, TWILIO_TAKES_MS);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tasks,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('an effect whose request may have reached Twilio unanswered', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('waits as long again before looking for what it did, and does not do it twice', async () => {
    const taskRouter = await slowTaskRouter();
    cleanups.push(() => taskRouter.close());
    const store = new RedisStore(new RedisMock(), { prefix: 'unanswered-retry' });
    const twilio = createTwilio({
      accountSid: REQUIRED_ENV.TWILIO_ACCOUNT_SID,
      authToken: REQUIRED_ENV.TWILIO_AUTH_TOKEN,
      apiBaseUrl: taskRouter.url,
      maxConcurrency: 5,
      authConcurrency: 1,
      timeoutMs: CLIENT_TIMEOUT_MS,
    });
    const runner = new EffectRunner({
      store,
      engine: new RecoveryEngine({ store, machineConfig: {} }),
      metrics: createMetrics(),
      log: Fastify({ logger: false }).log,
      concurrency: 4,
      idleMs: 10,
      baseDelayMs: 10,
      unansweredRetryMs: 2 * TWILIO_TAKES_MS,
      executor: executorContext(twilio.client, (conferenceSid, key) =>
        store.isEffectDone(conferenceSid, key),
      ),
    });
    const created = await store.commit({
      conferenceSid: CONFERENCE,
      expectedVersion: 0,
      snapshot: persist(start({ conferenceSid: CONFERENCE }).snapshot),
      final: false,
      timeline: [],
      effects: [
        {
          key: `${RECOVERY}:ping`,
          type: 'createPingTask',
          params: {
            recoveryId: RECOVERY,
            workerSid: sid('WK', 1),
            attributes: { lifeline: { recoveryId: RECOVERY, kind: 'ping' } },
            priority: 1000,
            timeoutS: 15,
          },
        },
      ],
      schedule: [],
      cancel: [],
      dedupeIds: [],
    });
    expect(created.ok).toBe(true);

    for (let round = 0; round < 40; round += 1) {
      await runner.drain();
      if (await store.isEffectDone(CONFERENCE, `${RECOVERY}:ping`)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const results = (await store.timeline(CONFERENCE))
      .filter((entry) => entry.kind === 'effect-result')
      .map((entry) => (entry.detail as { result: string }).result);
    expect(results).toEqual([
      `retry in ${2 * TWILIO_TAKES_MS} ms: timeout of ${CLIENT_TIMEOUT_MS}ms exceeded`,
      `found ${sid('WT', 101)}`,
    ]);
    expect(taskRouter.tasks).toHaveLength(1);
  });
});
