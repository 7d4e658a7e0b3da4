/**
 * `pnpm tsx packages/server/bench/inspect-listing.ts`: how long the inspector's list takes
 * with 10,000 stored conferences (LISTING_CONFERENCES to change), on real Redis (REDIS_URL)
 * and, with LISTING_MEMORY=1, on the embedded in-memory store. Not a test: it prints figures
 * for the README.
 *
 * Conferences are seeded through RecoveryStore.commit, as the engine writes them, under a
 * fresh key prefix that is deleted afterwards.
 */
import { performance } from 'node:perf_hooks';
import RedisMock from 'ioredis-mock';
import { Redis } from 'ioredis';
import { RedisStore } from '../src/store/redis-store.ts';
import type { RedisClient } from '../src/store/scripts.ts';
import type { ConferenceQuery, ConferenceSummary } from '../src/store/types.ts';

const COUNT = Number(process.env['LISTING_CONFERENCES'] ?? 10_000);
const RUNS = 20;
const hex = (n: number) => n.toString(16).padStart(32, '0');
const STATES = ['connected', 'pinging', 'reconnecting', 'redialing', 'recovered', 'abandoned'];

function summary(i: number): ConferenceSummary {
  const state = STATES[i % STATES.length] ?? 'connected';
  const final = state === 'recovered' || state === 'abandoned';
  return {
    state,
    final,
    outcome: final ? state : null,
    workerSid: `WK${hex(i % 200)}`,
    taskSid: `WT${hex(i)}`,
    recoveryStartedAt: null,
  };
}

async function seed(store: RedisStore): Promise<void> {
  const batch = 200;
  for (let from = 0; from < COUNT; from += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, COUNT - from) }, (_, j) => {
        const i = from + j;
        return store.commit({
          conferenceSid: `CF${hex(i)}`,
          expectedVersion: 0,
          snapshot: { schemaVersion: 1, value: summary(i).state, context: {} },
          final: false,
          timeline: [],
          effects: [],
          schedule: [],
          cancel: [],
          dedupeIds: [],
          summary: summary(i),
        });
      }),
    );
  }
}

async function timed(store: RedisStore, query: ConferenceQuery): Promise<string> {
  const samples: number[] = [];
  let total = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    total = (await store.listConferences(query)).total;
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  const worst = samples.at(-1) ?? 0;
  return `median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (${total} match)`;
}

async function measure(name: string, client: RedisClient): Promise<void> {
  const prefix = `llbench-${Date.now().toString(36)}`;
  const store = new RedisStore(client, { prefix });
  const started = performance.now();
  await seed(store);
  console.log(
    `${name}: seeded ${COUNT} conferences in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const queries: [string, ConferenceQuery][] = [
    ['first page (50), no filter', { offset: 0, limit: 50 }],
    ['page at offset 5000', { offset: 5000, limit: 50 }],
    ['filtered by state', { state: 'pinging', offset: 0, limit: 50 }],
    ['filtered by worker', { workerSid: `WK${hex(7)}`, offset: 0, limit: 50 }],
    ['live only (final=false)', { final: false, offset: 0, limit: 50 }],
  ];
  for (const [label, query] of queries)
    console.log(`  ${label.padEnd(28)} ${await timed(store, query)}`);
  if (client instanceof Redis) {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  }
  await store.close();
}

await measure('redis', new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'));
// The mock runs the commit script in a Lua interpreter written in JavaScript: seeding 10,000
// takes minutes, so it is measured only when asked for (LISTING_MEMORY=1).
if (process.env['LISTING_MEMORY'] === '1') await measure('memory (ioredis-mock)', new RedisMock());
