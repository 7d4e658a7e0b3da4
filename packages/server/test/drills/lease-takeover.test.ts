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
import { startMain } from '../process/main-process.ts';
import type { MainProcess } from '../process/main-process.ts';
import { testConfig, uniquePrefix } from '../support/app.ts';
import { REQUIRED_ENV } from '../support/env.ts';
import { sid } from '../support/payloads.ts';
import { deletePrefix, REDIS_URL } from '../store/backends.ts';
import { heldTwilio } from './held-twilio.ts';
import type { HeldTwilio } from './held-twilio.ts';

const CONFERENCE = sid('CF', 4242);
const EFFECT_KEY = 'announce-drill';

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

  it('keeps the lease while the owner lives, and another instance takes over within 5 s of a SIGKILL', async () => {
    const prefix = uniquePrefix();
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    cleanups.push(async () => {
      await deletePrefix(client, prefix);
      client.disconnect();
    });
    // The first instance's announcement call never gets an answer; the next ones do.
    const twilio: HeldTwilio = await heldTwilio(1);
    cleanups.push(() => twilio.close());

    // A conference with one announcement due, as a commit after a drop leaves it.
    const seed = new RedisStore(client, { prefix });
    const created = await seed.commit({
      conferenceSid: CONFERENCE,
      expectedVersion: 0,
      snapshot: persist(start({ conferenceSid: CONFERENCE }).snapshot),
      final: false,
      timeline: [],
      effects: [{ key: EFFECT_KEY, type: 'announceHold', params: { conferenceSid: CONFERENCE } }],
      schedule: [],
      cancel: [],
      dedupeIds: [],
    });
    expect(created.ok).toBe(true);

    // Instance A: the production entry point in its own process, with the default lease.
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

    await twilio.arrived(2);
    const takeoverMs = (twilio.arrivals[1]?.at ?? Infinity) - killedAt;
    expect(takeoverMs).toBeLessThan(5_000);
    expect(twilio.arrivals[1]?.path).toBe(twilio.arrivals[0]?.path);

    await until(() => seed.isEffectDone(CONFERENCE, EFFECT_KEY), 'the effect completed', 5_000);
    const results = (await seed.timeline(CONFERENCE)).filter((e) => e.kind === 'effect-result');
    expect(results).toHaveLength(1);
    expect(results[0]?.detail).toMatchObject({ key: EFFECT_KEY, attempt: 2 });
    expect(twilio.arrivals).toHaveLength(2);
  }, 45_000);
});
