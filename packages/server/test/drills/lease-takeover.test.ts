/**
 * Fault drill: an instance is SIGKILLed while it holds an effect's lease, in the middle of
 * the Twilio call. Another instance must take the effect over within 5 s, and must not take
 * it while the owner is alive and renewing, however long the call takes.
 */
import { Redis } from 'ioredis';
import { persist, start } from '@lifeline/machine';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import { DEFAULT_LEASE_MS } from '../../src/effects/runner.ts';
import { NOT_SENT_AGAIN } from '../../src/effects/executors.ts';
import { startMain } from '../process/main-process.ts';
import type { MainProcess } from '../process/main-process.ts';
import { testConfig, uniquePrefix } from '../support/app.ts';
import { REQUIRED_ENV } from '../support/env.ts';
import { sid } from '../support/payloads.ts';
import { deletePrefix, REDIS_URL } from '../store/backends.ts';
import { heldTwilio } from './held-twilio.ts';
import type { HeldTwilio } from './held-twilio.ts';

const CONFERENCE = sid('CF', 4242);
const CUSTOMER = sid('CA', 4242);
const EFFECT_KEY = 'effect-drill';

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('fault drill: an instance killed with an effect leased', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  /**
   * Instance A (the production entry point, in its own process) runs `effect`, whose first
   * request Twilio never answers; instance B shares its Redis. A is SIGKILLed after more than
   * a lease: B must have left the running effect alone until then, and finish it after.
   */
  async function killOwnerMidRequest(effect: { type: string; params: unknown }) {
    const prefix = uniquePrefix();
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    cleanups.push(async () => {
      await deletePrefix(client, prefix);
      client.disconnect();
    });
    // The first instance's request never gets an answer; the next ones do.
    const twilio: HeldTwilio = await heldTwilio(1);
    cleanups.push(() => twilio.close());

    // A conference with one effect due, as a commit after a drop leaves it.
    const seed = new RedisStore(client, { prefix });
    const created = await seed.commit({
      conferenceSid: CONFERENCE,
      expectedVersion: 0,
      snapshot: persist(start({ conferenceSid: CONFERENCE }).snapshot),
      final: false,
      timeline: [],
      effects: [{ key: EFFECT_KEY, ...effect }],
      schedule: [],
      cancel: [],
      dedupeIds: [],
    });
    expect(created.ok).toBe(true);

    const owner: MainProcess = await startMain({
      ...REQUIRED_ENV,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      TWILIO_API_BASE_URL: twilio.url,
    });
    cleanups.push(async () => {
      owner.child.kill('SIGKILL');
      await owner.exited;
    });
    await twilio.arrived(1);

    // Instance B on the same Redis, with production timings.
    const { app: other } = await createServer(
      testConfig(twilio.url, { REDIS_KEY_PREFIX: prefix }),
      {
        store: { store: new RedisStore(new Redis(REDIS_URL), { prefix }), durable: true },
        runLoops: true,
        fastify: { logger: false },
      },
    );
    cleanups.push(() => other.close());
    await other.ready();

    // Longer than a lease: the owner renews it, so B leaves the running effect alone.
    await new Promise((resolve) => setTimeout(resolve, DEFAULT_LEASE_MS + 1_500));
    expect(twilio.arrivals).toHaveLength(1);

    owner.child.kill('SIGKILL');
    const killedAt = Date.now();
    await owner.exited;
    await until(() => seed.isEffectDone(CONFERENCE, EFFECT_KEY), 'the effect completed', 5_000);
    const doneMs = Date.now() - killedAt;
    const results = (await seed.timeline(CONFERENCE)).filter((e) => e.kind === 'effect-result');
    return { twilio, killedAt, doneMs, results };
  }

  it('keeps the lease while the owner lives, and another instance takes over within 5 s of a SIGKILL', async () => {
    // A participant update: Lifeline sets the same flag again, so sending it twice is safe.
    const drill = await killOwnerMidRequest({
      type: 'keepInConference',
      params: { conferenceSid: CONFERENCE, callSid: CUSTOMER },
    });
    const { twilio, killedAt, results } = drill;
    expect(twilio.arrivals).toHaveLength(2);
    const takeoverMs = (twilio.arrivals[1]?.at ?? Infinity) - killedAt;
    expect(takeoverMs).toBeLessThan(5_000);
    expect(twilio.arrivals[1]?.path).toBe(twilio.arrivals[0]?.path);
    expect(results).toHaveLength(1);
    expect(results[0]?.detail).toMatchObject({ key: EFFECT_KEY, attempt: 2 });
  }, 45_000);

  it('does not announce again after a SIGKILL mid-request: the first request may have been played', async () => {
    const drill = await killOwnerMidRequest({
      type: 'announceHold',
      params: { conferenceSid: CONFERENCE },
    });
    expect(drill.doneMs).toBeLessThan(5_000);
    expect(drill.twilio.arrivals).toHaveLength(1);
    expect(drill.results).toHaveLength(1);
    expect(drill.results[0]?.detail).toMatchObject({
      key: EFFECT_KEY,
      attempt: 2,
      result: NOT_SENT_AGAIN,
    });
  }, 45_000);
});
