import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach } from 'vitest';
import type { StoreKind } from './app.ts';
import { redisClient, testApp, uniquePrefix } from './app.ts';
import type { FakeTwilio } from './fake-twilio.ts';
import { startFakeTwilio } from './fake-twilio.ts';
import { ADMIN_TOKEN, AGENT_TOKEN, CONF, RESERVATION, TASK, WORKER, sid } from './payloads.ts';

export interface Harness {
  app: FastifyInstance;
  twilio: FakeTwilio;
  prefix: string;
  kind: StoreKind;
  /** Another app on the same store (a second instance, or a restart). */
  newApp(options?: { runLoops?: boolean }): Promise<FastifyInstance>;
  /** The apps' clock: tests move it forward to make durable timers due. */
  clock: { now: number };
}

/** One app on a fresh key prefix plus a fake Twilio, torn down after each test. */
export function useHarness(kind: StoreKind = 'memory'): Harness {
  const harness = { kind } as Harness;
  const apps: FastifyInstance[] = [];
  beforeEach(async () => {
    harness.twilio = await startFakeTwilio();
    harness.twilio.tokens.set(AGENT_TOKEN, { worker_sid: WORKER, roles: ['agent'] });
    harness.twilio.tokens.set(ADMIN_TOKEN, { worker_sid: sid('WK', 900), roles: ['admin'] });
    // TaskRouter confirms the standard registration (routes/api/agents.ts checks it).
    harness.twilio.assign({
      conferenceSid: CONF,
      taskSid: TASK,
      workerSid: WORKER,
      reservationSid: RESERVATION,
    });
    harness.prefix = uniquePrefix();
    // ioredis-mock instances share one in-memory dataset, like one Redis server would.
    harness.clock = { now: Date.now() };
    harness.newApp = async (options = {}) => {
      const app = await testApp({
        twilioUrl: harness.twilio.url,
        client: redisClient(kind),
        prefix: harness.prefix,
        // As production: bytes on a real Redis, text on the mock (its Lua is not binary-safe).
        binary: kind === 'redis',
        now: () => harness.clock.now,
        ...options,
      });
      apps.push(app);
      return app;
    };
    harness.app = await harness.newApp();
  });
  afterEach(async () => {
    // Some tests close an app themselves (a restart); closing twice is harmless here.
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    await harness.twilio.close();
  });
  return harness;
}
