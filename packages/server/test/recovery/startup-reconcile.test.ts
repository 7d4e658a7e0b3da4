import Fastify from 'fastify';
import RedisMock from 'ioredis-mock';
import { describe, expect, it } from 'vitest';
import { RecoveryEngine } from '../../src/recovery/engine.ts';
import { StartupReconcile } from '../../src/recovery/startup-reconcile.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import type { ConferencePage, ConferenceQuery } from '../../src/store/types.ts';
import { uniquePrefix } from '../support/app.ts';
import { CUSTOMER, sid } from '../support/payloads.ts';

const log = Fastify({ logger: false }).log;
const now = () => 1_000;

function storeAndEngine() {
  const store = new RedisStore(new RedisMock(), { prefix: uniquePrefix() });
  return { store, engine: new RecoveryEngine({ store, machineConfig: {}, now }) };
}

/** Conferences 1..n, each with the customer in it; the ones in `ended` are over. */
async function conferences(engine: RecoveryEngine, n: number, ended: Set<number> = new Set()) {
  for (let i = 1; i <= n; i += 1) {
    const conferenceSid = sid('CF', i);
    const joined = {
      type: 'participant.joined' as const,
      at: 0,
      seq: 1,
      callSid: CUSTOMER,
      label: 'customer',
      endConferenceOnExit: true,
      hold: false,
    };
    await engine.dispatch({ conferenceSid, event: joined, source: 'test', create: true });
    if (ended.has(i)) {
      await engine.dispatch({
        conferenceSid,
        event: { type: 'conference.ended', at: 0, seq: 2, reason: null },
        source: 'test',
      });
    }
  }
}

/** An engine that records what it was asked, and how many dispatches ran at once. */
function countingEngine(inner: RecoveryEngine) {
  const seen = { asked: [] as string[], active: 0, peak: 0 };
  return {
    seen,
    engine: {
      async dispatch(request: Parameters<RecoveryEngine['dispatch']>[0]) {
        seen.active += 1;
        seen.peak = Math.max(seen.peak, seen.active);
        try {
          // Let the others of the batch start before this one ends.
          await new Promise((resolve) => setTimeout(resolve, 5));
          seen.asked.push(request.conferenceSid);
          return await inner.dispatch(request);
        } finally {
          seen.active -= 1;
        }
      },
    },
  };
}

describe('the start-up reconcile', () => {
  it('asks every live conference, across listing pages, 8 at a time, and no finished one', async () => {
    const { store, engine } = storeAndEngine();
    await conferences(engine, 23, new Set([4, 17]));
    const counting = countingEngine(engine);
    const reconcile = new StartupReconcile({
      store,
      engine: counting.engine,
      log,
      now,
      pageSize: 5,
    });
    reconcile.start();
    await reconcile.done();

    const live = Array.from({ length: 23 }, (_, i) => i + 1)
      .filter((i) => i !== 4 && i !== 17)
      .map((i) => sid('CF', i));
    expect([...counting.seen.asked].sort()).toEqual([...live].sort());
    expect(counting.seen.peak).toBe(8);
    // Each one recorded the request and asked for its reconcile effect, keyed by this round.
    const timeline = await store.timeline(sid('CF', 1));
    expect(timeline.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['reconcile.requested', 'reconcileConference']),
    );
    expect(await store.isEffectDone(sid('CF', 1), `${sid('CF', 1)}:reconcile:1000`)).toBe(false);
    const ended = await store.timeline(sid('CF', 4));
    expect(ended.map((entry) => entry.name)).not.toContain('reconcile.requested');
  });

  it('waits and tries again while the store fails, then asks', async () => {
    const { store, engine } = storeAndEngine();
    await conferences(engine, 2);
    let failures = 3;
    const delays: number[] = [];
    let last = Date.now();
    const flaky = {
      async listConferences(query: ConferenceQuery): Promise<ConferencePage> {
        if (failures > 0) {
          failures -= 1;
          delays.push(Date.now() - last);
          last = Date.now();
          throw new Error('store unreachable');
        }
        return store.listConferences(query);
      },
    };
    const counting = countingEngine(engine);
    const reconcile = new StartupReconcile({
      store: flaky,
      engine: counting.engine,
      log,
      now,
      minDelayMs: 10,
      maxDelayMs: 25,
    });
    reconcile.start();
    await reconcile.done();
    expect(failures).toBe(0);
    // 10 ms, then doubled: each wait at least as long as asked.
    expect(delays[1]).toBeGreaterThanOrEqual(9);
    expect(delays[2]).toBeGreaterThanOrEqual(19);
    expect(counting.seen.asked.sort()).toEqual([sid('CF', 1), sid('CF', 2)]);
  });

  it('tries a failed dispatch again', async () => {
    const { store, engine } = storeAndEngine();
    await conferences(engine, 3);
    let failures = 2;
    const asked: string[] = [];
    const reconcile = new StartupReconcile({
      store,
      engine: {
        async dispatch(request) {
          if (request.conferenceSid === sid('CF', 2) && failures > 0) {
            failures -= 1;
            throw new Error('conflict persisted');
          }
          asked.push(request.conferenceSid);
          return engine.dispatch(request);
        },
      },
      log,
      now,
      minDelayMs: 1,
    });
    reconcile.start();
    await reconcile.done();
    expect(failures).toBe(0);
    expect(asked.sort()).toEqual([sid('CF', 1), sid('CF', 2), sid('CF', 3)]);
  });

  it('stops at once, even in a long wait', async () => {
    let calls = 0;
    const reconcile = new StartupReconcile({
      store: {
        async listConferences() {
          calls += 1;
          throw new Error('store unreachable');
        },
      },
      engine: {
        dispatch: () => Promise.reject(new Error('never asked')),
      },
      log,
      now,
      minDelayMs: 60_000,
    });
    reconcile.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await reconcile.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBe(1);
  });
});
