import { afterEach, describe, expect, it } from 'vitest';
import { TOUCH_FLUSH_MS } from '../../src/store/listing.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import { readStateField } from '../../src/store/state-fields.ts';
import type { CommitRequest, ConferenceSummary } from '../../src/store/types.ts';
import { redisClient, uniquePrefix } from '../support/app.ts';
import { deletePrefix } from '../store/backends.ts';
import { sid } from '../support/payloads.ts';

function commit(n: number, final: boolean, state: string): CommitRequest {
  const summary: ConferenceSummary = {
    state,
    final,
    outcome: final ? 'recovered' : null,
    workerSid: sid('WK', n),
    taskSid: sid('WT', n),
    recoveryStartedAt: null,
  };
  return {
    conferenceSid: sid('CF', n),
    expectedVersion: 0,
    snapshot: {},
    final,
    timeline: [],
    effects: [],
    schedule: [],
    cancel: [],
    dedupeIds: [],
    summary,
  };
}

for (const kind of ['memory', 'redis'] as const) {
  describe(`the conference listing (${kind} store)`, () => {
    const client = redisClient(kind);
    const prefix = uniquePrefix();
    afterEach(async () => {
      if (kind === 'redis') await deletePrefix(client, prefix);
    });

    it('moves only the update time of a commit whose summary is unchanged', async () => {
      const clock = { now: 1_700_000_000_000 };
      // A prefix of its own: the other test counts what its prefix lists.
      const own = uniquePrefix();
      const store = new RedisStore(client, { prefix: own, clock: () => clock.now });
      await store.commit(commit(3, false, 'pinging'));
      clock.now += 1000;
      await store.commit({
        ...commit(3, false, 'ignored'),
        expectedVersion: 1,
        summary: 'unchanged',
      });
      const page = await store.listConferences({ offset: 0, limit: 10 });
      expect(page.items).toEqual([
        expect.objectContaining({
          conferenceSid: sid('CF', 3),
          state: 'pinging',
          createdAt: 1_700_000_000_000,
          updatedAt: 1_700_000_001_000,
        }),
      ]);
      if (kind === 'redis') await deletePrefix(client, own);
    });

    it("writes unchanged summaries' update times together: at once for its own listings, within a second for others", async () => {
      const clock = { now: 1_700_000_000_000 };
      const own = uniquePrefix();
      const store = new RedisStore(client, { prefix: own, clock: () => clock.now });
      const other = new RedisStore(client, { prefix: own, clock: () => clock.now });
      await store.commit(commit(5, false, 'connected'));
      await store.commit(commit(6, false, 'connected'));
      clock.now += 1000;
      await store.commit({ ...commit(5, false, 'x'), expectedVersion: 1, summary: 'unchanged' });
      const order = async (of: RedisStore) =>
        (await of.listConferences({ offset: 0, limit: 10 })).items.map((item) => [
          item.conferenceSid,
          item.updatedAt,
        ]);
      // Not yet written: the other instance still sees the first commits (ties: SID order).
      expect(await order(other)).toEqual([
        [sid('CF', 6), 1_700_000_000_000],
        [sid('CF', 5), 1_700_000_000_000],
      ]);
      clock.now += 1000;
      await store.commit({ ...commit(6, false, 'x'), expectedVersion: 1, summary: 'unchanged' });
      expect(await order(store)).toEqual([
        [sid('CF', 6), 1_700_000_002_000],
        [sid('CF', 5), 1_700_000_001_000],
      ]);
      await store.commit({ ...commit(5, false, 'x'), expectedVersion: 2, summary: 'unchanged' });
      await new Promise((resolve) => setTimeout(resolve, TOUCH_FLUSH_MS + 200));
      expect(await order(other)).toEqual([
        [sid('CF', 6), 1_700_000_002_000],
        [sid('CF', 5), 1_700_000_002_000],
      ]);
      if (kind === 'redis') await deletePrefix(client, own);
    });

    it('reads summaries written before, and keeps their first commit time', async () => {
      const clock = { now: 1_700_000_000_000 };
      const own = uniquePrefix();
      const store = new RedisStore(client, { prefix: own, clock: () => clock.now });
      const keys = store.keys.listing();
      const old = commit(4, false, 'connected');
      // The layout before: an object summary, the first commit in a sorted set of its own.
      await client.hset(keys.summaries, old.conferenceSid, JSON.stringify(old.summary));
      await client.zadd(keys.created, 1_600_000_000_000, old.conferenceSid);
      await client.zadd(keys.updated, 1_600_000_005_000, old.conferenceSid);
      // Its keys still exist: the listing keeps it.
      await client.hset(store.keys.conference(old.conferenceSid).state, 'version', '1');
      const listed = async () =>
        (await store.listConferences({ offset: 0, limit: 10 })).items.map((item) => [
          item.state,
          item.workerSid,
          item.createdAt,
          item.updatedAt,
        ]);
      expect(await listed()).toEqual([
        ['connected', sid('WK', 4), 1_600_000_000_000, 1_600_000_005_000],
      ]);
      await store.commit({ ...commit(4, false, 'pinging'), expectedVersion: 1 });
      expect(await listed()).toEqual([['pinging', sid('WK', 4), 1_600_000_000_000, clock.now]]);
      // The new summary is a field of the conference's state; the old one only lends its
      // first commit time until pruned.
      const state = store.keys.conference(old.conferenceSid).state;
      expect(await readStateField(client, state, 'summary')).toMatch(/^1700000000000~/);
      const filtered = await store.listConferences({
        workerSid: sid('WK', 4),
        offset: 0,
        limit: 5,
      });
      expect(filtered.items.map((item) => [item.final, item.outcome, item.createdAt])).toEqual([
        [false, null, 1_600_000_000_000],
      ]);
      if (kind === 'redis') await deletePrefix(client, own);
    });

    it('keeps first and last commit times, and drops conferences once their keys expired', async () => {
      const clock = { now: 1_700_000_000_000 };
      const store = new RedisStore(client, { prefix, finalTtlS: 1, clock: () => clock.now });
      expect((await store.commit(commit(1, false, 'a'))).ok).toBe(true);
      clock.now += 1000;
      expect((await store.commit(commit(2, false, 'a'))).ok).toBe(true);
      clock.now += 1000;
      await store.commit({ ...commit(1, true, 'b'), expectedVersion: 1 });
      const page = await store.listConferences({ offset: 0, limit: 10 });
      expect(
        page.items.map((item) => [item.conferenceSid, item.state, item.createdAt, item.updatedAt]),
      ).toEqual([
        [sid('CF', 1), 'b', 1_700_000_000_000, 1_700_000_002_000],
        [sid('CF', 2), 'a', 1_700_000_001_000, 1_700_000_001_000],
      ]);
      // A failed commit (version conflict) changes nothing in the listing.
      expect((await store.commit({ ...commit(2, true, 'c'), expectedVersion: 7 })).ok).toBe(false);
      expect((await store.listConferences({ state: 'c', offset: 0, limit: 10 })).total).toBe(0);

      // The final conference's keys expire after finalTtlS; the live one stays listed.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      clock.now += 5000;
      const later = await store.listConferences({ offset: 0, limit: 10 });
      expect(later.items.map((item) => item.conferenceSid)).toEqual([sid('CF', 2)]);
      expect(later.total).toBe(1);
      // Pruned from its bucket as well.
      const keys = store.keys.listing();
      const members = await Promise.all(keys.buckets.map((key) => client.zrange(key, 0, -1)));
      expect(members.flat()).toEqual([sid('CF', 2)]);
    });

    it('spreads conferences over small sorted sets, and pages them as one, newest first', async () => {
      const clock = { now: 1_700_000_000_000 };
      const own = uniquePrefix();
      const store = new RedisStore(client, { prefix: own, clock: () => clock.now });
      const keys = store.keys.listing();
      const n = 40;
      for (let i = 1; i <= n; i += 1) {
        clock.now += 1000;
        await store.commit(commit(i, i % 2 === 0, i % 2 === 0 ? 'recovered' : 'pinging'));
      }
      // One written by the layout before, and updated since: listed once, at its later time.
      await client.zadd(keys.updated, 1_600_000_000_000, sid('CF', 1));
      const used = (await Promise.all(keys.buckets.map((key) => client.zcard(key)))).filter(
        (count) => count > 0,
      );
      expect(used.length).toBeGreaterThan(20);
      if (kind === 'redis') {
        const key = keys.buckets.find((_, i) => i === 0) ?? '';
        await client.zadd(key, 1, 'probe');
        expect(await client.object('ENCODING', key)).toBe('listpack');
        await client.zrem(key, 'probe');
      }
      const first = await store.listConferences({ offset: 0, limit: 15 });
      const second = await store.listConferences({ offset: 15, limit: 30 });
      expect(first.total).toBe(n);
      expect([...first.items, ...second.items].map((item) => item.conferenceSid)).toEqual(
        Array.from({ length: n }, (_, i) => sid('CF', n - i)),
      );
      const live = await store.listConferences({ final: false, offset: 2, limit: 3 });
      expect(live.total).toBe(n / 2);
      expect(live.items.map((item) => item.conferenceSid)).toEqual([
        sid('CF', 35),
        sid('CF', 33),
        sid('CF', 31),
      ]);
      if (kind === 'redis') await deletePrefix(client, own);
    });
  });
}
