/**
 * The RecoveryStore contract, run against every backend: ioredis-mock, a real Redis and a
 * Redis Cluster. Each test gets its own key prefix on a client shared by the backend.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisStore } from '../../src/store/redis-store.ts';
import type { RedisStoreOptions } from '../../src/store/redis-store.ts';
import type { RedisClient } from '../../src/store/scripts.ts';
import { shardOf } from '../../src/store/keys.ts';
import { runScript } from '../../src/store/scripts.ts';
import { readStateField } from '../../src/store/state-fields.ts';
import { memberToken, seenToken } from '../../src/store/tokens.ts';
import { URGENCY_HEAD_START_MS, headStartMs } from '../../src/effects/urgency.ts';
import type { ChangeMessage, CommitRequest, TimelineEntry } from '../../src/store/types.ts';
import { deletePrefix, uniquePrefix } from './backends.ts';

/** A realistic clock: millisecond timestamps need 41 bits, beyond the mock Lua's integers. */
const T = 1_700_000_000_123;

function entry(name: string, at = T): TimelineEntry {
  return { at, kind: 'note', name };
}

function request(
  sid: string,
  expectedVersion: number,
  extra: Partial<CommitRequest> = {},
): CommitRequest {
  return {
    conferenceSid: sid,
    expectedVersion,
    snapshot: { value: 'connected', context: { n: expectedVersion } },
    final: false,
    timeline: [],
    effects: [],
    schedule: [],
    cancel: [],
    dedupeIds: [],
    ...extra,
  };
}

function effect(key: string, type = 'announceHold') {
  return { key, type, params: { key, note: 'ü ✓ "quoted"' } };
}

/** SIDs that land in distinct shards, so cross-shard behaviour is really exercised. */
function sidsInDistinctShards(count: number): string[] {
  const byShard = new Map<number, string>();
  for (let i = 0; byShard.size < count; i += 1) {
    const sid = `CF${String(i).padStart(32, '0')}`;
    if (!byShard.has(shardOf(sid))) byShard.set(shardOf(sid), sid);
  }
  return [...byShard.values()];
}

export interface Backend {
  name: string;
  open: () => Promise<RedisClient>;
  /** Real servers: delete the test's keys afterwards. The mock lives in memory. */
  cleanup: boolean;
  /** Packed values as bytes (RedisStoreOptions.binary): real servers only. */
  binary: boolean;
}

export function storeContract(backend: Backend): void {
  describe(`RedisStore on ${backend.name}`, () => {
    let client: RedisClient;
    const prefixes: string[] = [];

    beforeAll(async () => {
      client = await backend.open();
    });
    afterEach(async () => {
      if (backend.cleanup) {
        for (const prefix of prefixes.splice(0)) await deletePrefix(client, prefix);
      }
    });
    afterAll(async () => {
      await client.quit();
    });

    function newStore(options: RedisStoreOptions = {}): RedisStore {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      return new RedisStore(client, { prefix, clock: () => T, binary: backend.binary, ...options });
    }

    const SID = 'CF0123456789abcdef0123456789abcdef';

    /**
     * Seconds a routing index has left (a field of its bucket, routing-index.ts), -2 when the
     * bucket has no field for it; the bucket key itself must outlive it.
     */
    async function indexTtl(store: RedisStore, name: string): Promise<number> {
      const bucket = store.keys.indexBucket(name);
      const value = await client.hget(bucket, name);
      if (value === null) return -2;
      const keyTtl = await client.ttl(bucket);
      const left = Number(value.slice(value.lastIndexOf('|') + 1)) - Math.floor(T / 1000);
      expect(keyTtl, bucket).toBeGreaterThanOrEqual(Math.min(left, 1));
      return left;
    }

    it('sends the changes of one turn together, and each arrives on its own', async () => {
      const store = newStore();
      const heard: ChangeMessage[] = [];
      const ready = new Promise<void>((resolve) => setTimeout(resolve, 300));
      const unwatch = store.watchChanges(
        (change) => heard.push(change),
        () => undefined,
      );
      // What goes over the wire: one message a turn.
      const raw = client.duplicate();
      const messages: string[] = [];
      raw.on('message', (_channel: string, message: string) => messages.push(message));
      await raw.subscribe(`${store.keys.prefix}:changes`);
      await ready;
      store.publishChange({ origin: 'a', conferenceSid: SID, version: 1 });
      store.publishChange({ origin: 'b', conferenceSid: 'CF2', version: 0 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      store.publishChange({ origin: 'a', conferenceSid: SID, version: 2 });
      await vi.waitFor(() => expect(heard).toHaveLength(3));
      expect(heard).toEqual([
        { origin: 'a', conferenceSid: SID, version: 1 },
        { origin: 'b', conferenceSid: 'CF2', version: 0 },
        { origin: 'a', conferenceSid: SID, version: 2 },
      ]);
      expect(messages).toHaveLength(2);
      raw.disconnect();
      await unwatch();
    });

    it('creates, loads, and refuses a second create', async () => {
      const store = newStore();
      expect(await store.load(SID)).toBeNull();
      expect(await store.commit(request(SID, 0))).toEqual({ ok: true, version: 1 });
      expect(await store.load(SID)).toEqual({
        conferenceSid: SID,
        version: 1,
        snapshot: { value: 'connected', context: { n: 0 } },
        final: false,
      });
      expect(await store.commit(request(SID, 0))).toEqual({
        ok: false,
        reason: 'exists',
        version: 1,
      });
      await store.ping();
    });

    it('is a compare-and-set on the version', async () => {
      const store = newStore();
      expect(await store.commit(request(SID, 3))).toEqual({
        ok: false,
        reason: 'conflict',
        version: 0,
      });
      await store.commit(request(SID, 0));
      expect(await store.commit(request(SID, 1))).toEqual({ ok: true, version: 2 });
      expect(await store.commit(request(SID, 1))).toEqual({
        ok: false,
        reason: 'conflict',
        version: 2,
      });
      expect(await store.commit(request(SID, 5))).toEqual({
        ok: false,
        reason: 'conflict',
        version: 2,
      });
      expect((await store.load(SID))?.snapshot).toEqual({ value: 'connected', context: { n: 1 } });
    });

    it('lets exactly one of 20 concurrent commits on one version win', async () => {
      const store = newStore();
      await store.commit(request(SID, 0));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.commit(
            request(SID, 1, { timeline: [entry(`racer-${i}`)], effects: [effect(`e-${i}`)] }),
          ),
        ),
      );
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, version: 2 }]);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'conflict')).toBe(
        true,
      );
      expect(await store.timeline(SID)).toHaveLength(1);
      expect(await store.claimEffects(T, 100, 1000)).toHaveLength(1);
    });

    it('writes nothing for an already consumed delivery id', async () => {
      const store = newStore();
      await store.commit(request(SID, 0, { dedupeIds: ['ev-1'], timeline: [entry('first')] }));
      const replay = request(SID, 1, {
        dedupeIds: ['ev-2', 'ev-1'],
        timeline: [entry('replay')],
        effects: [effect('k1')],
        schedule: [{ id: 't1', event: { type: 'xstate.after.x' }, dueAt: T }],
        index: { taskSids: ['WT1'] },
      });
      expect(await store.commit(replay)).toEqual({ ok: false, reason: 'duplicate', version: 1 });
      expect((await store.load(SID))?.version).toBe(1);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['first']);
      expect(await store.claimEffects(T + 10_000, 10, 1000)).toEqual([]);
      expect(await store.dueTimers(T + 10_000, 10)).toEqual([]);
      // ev-2 was not consumed by the refused commit.
      expect(await store.commit(request(SID, 1, { dedupeIds: ['ev-2'] }))).toEqual({
        ok: true,
        version: 2,
      });
    });

    it('remembers the newest consumed delivery ids in the state, and only those', async () => {
      const store = newStore({ seenCap: 3 });
      const ids = ['ev-1', 'ev-2', 'ev-3', 'ev-4'];
      await store.commit(request(SID, 0, { dedupeIds: ids.slice(0, 2) }));
      await store.commit(request(SID, 1, { dedupeIds: ids.slice(2) }));
      const keys = store.keys.conference(SID);
      // A field of the state hash, not a key of its own.
      expect(await client.exists(keys.seen)).toBe(0);
      expect(await readStateField(client, keys.state, 'seen')).toBe(
        ids.slice(1).map(seenToken).join(''),
      );
      for (const id of ids.slice(1)) {
        expect(await store.commit(request(SID, 2, { dedupeIds: [id] })), id).toEqual({
          ok: false,
          reason: 'duplicate',
          version: 2,
        });
      }
      // The oldest fell out of the cap.
      expect(await store.commit(request(SID, 2, { dedupeIds: ['ev-1'] }))).toMatchObject({
        ok: true,
      });
      // Gone with the end: a final chart ignores every redelivery.
      await store.commit(request(SID, 3, { final: true, dedupeIds: ['ev-5'] }));
      expect(await client.hexists(keys.state, 'seen')).toBe(0);
    });

    it('enqueues an effect key at most once, and never again once done', async () => {
      const store = newStore();
      await store.commit(request(SID, 0, { effects: [effect('k1')] }));
      await store.commit(request(SID, 1, { effects: [effect('k1')] }));
      const claimed = await store.claimEffects(T, 10, 1000);
      expect(claimed).toEqual([
        {
          key: 'k1',
          conferenceSid: SID,
          type: 'announceHold',
          params: effect('k1').params,
          attempts: 0,
          leaseUntil: T + 1000,
        },
      ]);
      // Still leased: committing it again does not bring it back early.
      await store.commit(request(SID, 2, { effects: [effect('k1')] }));
      expect(await store.claimEffects(T + 500, 10, 1000)).toEqual([]);

      expect(await store.isEffectDone(SID, 'k1')).toBe(false);
      await store.completeEffect(SID, 'k1', { at: T, kind: 'effect-result', name: 'announceHold' });
      expect(await store.isEffectDone(SID, 'k1')).toBe(true);
      await store.commit(request(SID, 3, { effects: [effect('k1')] }));
      expect(await store.claimEffects(T + 10_000, 10, 1000)).toEqual([]);
      expect((await store.timeline(SID)).map((e) => e.kind)).toEqual(['effect-result']);
      expect(await store.nextDueAt()).toBeNull();
    });

    it("renews a lease only while it is still the caller's", async () => {
      const store = newStore();
      await store.commit(request(SID, 0, { effects: [effect('k1')] }));
      const [claim] = await store.claimEffects(T, 10, 1000);
      expect(claim?.leaseUntil).toBe(T + 1000);
      // The owner renews before the lease lapses: another claim at the old end finds nothing.
      expect(await store.renewLease(SID, 'k1', T + 1000, T + 1800)).toBe(true);
      expect(await store.claimEffects(T + 1000, 10, 1000)).toEqual([]);
      expect(await store.nextDueAt()).toBe(T + 1800);
      // A renewal naming a lease end that is no longer current changes nothing.
      expect(await store.renewLease(SID, 'k1', T + 1000, T + 9000)).toBe(false);
      // Lapsed and claimed by another runner: the first owner's renewal is refused.
      const [taken] = await store.claimEffects(T + 1800, 10, 1000);
      expect(taken?.leaseUntil).toBe(T + 2800);
      expect(await store.renewLease(SID, 'k1', T + 1800, T + 3600)).toBe(false);
      expect(await store.nextDueAt()).toBe(T + 2800);
      // A rescheduled (retry) or completed effect is no lease to renew.
      await store.retryEffect(SID, 'k1', T + 5000, entry('retry'));
      expect(await store.renewLease(SID, 'k1', T + 2800, T + 3800)).toBe(false);
      expect(await store.nextDueAt()).toBe(T + 5000);
      await store.claimEffects(T + 5000, 10, 1000);
      await store.completeEffect(SID, 'k1', entry('done'));
      expect(await store.renewLease(SID, 'k1', T + 6000, T + 7000)).toBe(false);
      expect(await store.nextDueAt()).toBeNull();
    });

    it('leases claims, and hands an expired lease out again with attempts + 1', async () => {
      const store = newStore();
      await store.commit(request(SID, 0, { effects: [effect('k1')] }));
      // Due by its commit's time: an announcement, the most urgent, that much before it.
      const due = T - headStartMs('announceHold');
      expect(await store.claimEffects(due - 1, 10, 1000)).toEqual([]);
      expect((await store.claimEffects(T, 10, 1000)).map((e) => e.attempts)).toEqual([0]);
      expect(await store.nextDueAt()).toBe(T + 1000);
      expect(await store.claimEffects(T + 999, 10, 1000)).toEqual([]);
      const again = await store.claimEffects(T + 1000, 10, 1000);
      expect(again.map((e) => [e.key, e.attempts])).toEqual([['k1', 1]]);
    });

    it('retries at the given time, and a retry after completion resurrects nothing', async () => {
      const store = newStore();
      await store.commit(request(SID, 0, { effects: [effect('k1')] }));
      await store.claimEffects(T, 10, 1000);
      await store.retryEffect(SID, 'k1', T + 5000, entry('retry-1'));
      expect(await store.claimEffects(T + 4999, 10, 60_000)).toEqual([]);
      expect(await store.nextDueAt()).toBe(T + 5000);
      expect((await store.claimEffects(T + 5000, 10, 60_000)).map((e) => e.attempts)).toEqual([1]);
      await store.completeEffect(SID, 'k1', entry('done'));
      await store.retryEffect(SID, 'k1', T, entry('late retry'));
      expect(await store.claimEffects(T + 100_000, 10, 1000)).toEqual([]);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual([
        'retry-1',
        'done',
        'late retry',
      ]);
    });

    it('marks a sent request until Twilio answered, across retries, claims and instances', async () => {
      const store = newStore();
      const marked = async (key: string) =>
        (await store.startEffect(SID, key, { mark: true })).mayHaveRunBefore;
      await store.commit(request(SID, 0, { effects: [effect('k1'), effect('k2')] }));
      await store.claimEffects(T, 10, 1000);
      expect(await marked('k1')).toBe(false);
      // Another runner (a lapsed lease taken over) finds the first one's request may be out.
      expect(await marked('k1')).toBe(true);
      // A retry after no answer keeps the mark; one after Twilio's answer clears it.
      await store.retryEffect(SID, 'k1', T + 10, entry('timed out'), true);
      expect(await marked('k1')).toBe(true);
      await store.retryEffect(SID, 'k1', T + 20, entry('429'), false);
      expect(await marked('k1')).toBe(false);
      // Marks are per effect, and completion leaves none behind.
      expect(await marked('k2')).toBe(false);
      await store.completeEffect(SID, 'k1', entry('done'));
      await store.completeEffect(SID, 'k2', entry('done'));
      expect(await store.nextDueAt()).toBeNull();
      expect(await client.hlen(store.keys.shard(shardOf(SID)).attempts)).toBe(0);
    });

    it('starts an effect in one step: done ones are told and never marked', async () => {
      const store = newStore();
      await store.commit(request(SID, 0, { effects: [effect('k1'), effect('k2')] }));
      await store.claimEffects(T, 10, 1000);
      expect(await store.startEffect(SID, 'k1', { mark: false })).toEqual({
        done: false,
        mayHaveRunBefore: false,
      });
      await store.completeEffect(SID, 'k1', entry('done'));
      expect(await store.startEffect(SID, 'k1', { mark: true })).toEqual({
        done: true,
        mayHaveRunBefore: false,
      });
      // Done keys past the first 64-byte piece of the state's 'done' field are found too.
      const many = Array.from({ length: 12 }, (_, i) => effect(`many-${i}`));
      await store.commit(request(SID, 1, { effects: many }));
      await store.claimEffects(T, 20, 1000);
      for (const { key } of many) await store.completeEffect(SID, key, entry('done'));
      for (const { key } of many) {
        expect((await store.startEffect(SID, key, { mark: true })).done).toBe(true);
      }
      // Neither a done effect nor an unmarked start leaves a mark for the next attempt to find.
      const marks = await client.hkeys(store.keys.shard(shardOf(SID)).attempts);
      expect(marks.filter((field) => field.endsWith('|sent'))).toEqual([]);
      expect(await store.startEffect(SID, 'k2', { mark: true })).toEqual({
        done: false,
        mayHaveRunBefore: false,
      });
    });

    it("claims one commit's effects in the machine's order, all due at the commit's time", async () => {
      const store = newStore();
      await store.commit(request(SID, 0, { effects: [effect('z'), effect('a'), effect('m')] }));
      expect((await store.claimEffects(T, 10, 1000)).map((e) => e.key)).toEqual(['z', 'a', 'm']);
    });

    it('claims the most urgent effects first, even after bookkeeping committed before them', async () => {
      let now = T;
      const store = newStore({ clock: () => now });
      await store.commit(
        request(SID, 0, { effects: [effect('tag', 'tagTask'), effect('ping', 'createPingTask')] }),
      );
      // Within a rank's head start of the first commit: a burst, ordered by urgency.
      now = T + URGENCY_HEAD_START_MS - 1;
      await store.commit(
        request(SID, 1, {
          effects: [effect('keep', 'keepInConference'), effect('announce'), effect('odd', 'x')],
        }),
      );
      const next = async () => (await store.claimEffects(now, 1, 60_000))[0]?.key;
      const order = [await next(), await next(), await next(), await next(), await next()];
      // The ping task ranks above a tag committed in the same step before it.
      expect(order).toEqual(['announce', 'keep', 'ping', 'tag', 'odd']);
    });

    it('never keeps an effect waiting behind more urgent ones committed long after it', async () => {
      let now = T;
      const store = newStore({ clock: () => now });
      await store.commit(request(SID, 0, { effects: [effect('ping', 'createPingTask')] }));
      // One rank more urgent, committed more than a rank's head start later: the ping first.
      now = T + URGENCY_HEAD_START_MS + 1;
      await store.commit(request(SID, 1, { effects: [effect('keep', 'keepInConference')] }));
      // Three ranks more urgent: within three head starts it still goes first.
      await store.commit(request(SID, 2, { effects: [effect('announce')] }));
      const next = async () => (await store.claimEffects(now, 1, 60_000))[0]?.key;
      expect([await next(), await next(), await next()]).toEqual(['announce', 'ping', 'keep']);
    });

    it('claims a fair share of every busy shard before filling up from one', async () => {
      const store = newStore();
      // The busy shard first in the claim's order (a new store starts at shard 0).
      const [busy, quiet] = sidsInDistinctShards(2).sort((a, b) => shardOf(a) - shardOf(b)) as [
        string,
        string,
      ];
      const bookkeeping = Array.from({ length: 6 }, (_, i) => effect(`tag-${i}`, 'tagTask'));
      await store.commit(request(busy, 0, { effects: bookkeeping }));
      await store.commit(request(quiet, 0, { effects: [effect('announce-quiet')] }));
      const claimed = await store.claimEffects(T, 4, 60_000);
      expect(claimed).toHaveLength(4);
      expect(claimed.map((e) => e.key)).toContain('announce-quiet');
    });

    it('claims across shards up to the limit, each effect once', async () => {
      const store = newStore();
      const sids = sidsInDistinctShards(5);
      for (const sid of sids)
        await store.commit(request(sid, 0, { effects: [effect(`k-${sid}`)] }));
      const first = await store.claimEffects(T, 3, 60_000);
      const second = await store.claimEffects(T, 3, 60_000);
      expect(first).toHaveLength(3);
      expect(second).toHaveLength(2);
      const claimedSids = [...first, ...second].map((e) => e.conferenceSid).sort();
      expect(claimedSids).toEqual([...sids].sort());
      expect(await store.claimEffects(T, 0, 60_000)).toEqual([]);
    });

    it('claims from the shards it is told only, when told', async () => {
      const store = newStore();
      const [hinted, other] = sidsInDistinctShards(2) as [string, string];
      await store.commit(request(hinted, 0, { effects: [effect('k-hinted')] }));
      await store.commit(request(other, 0, { effects: [effect('k-other')] }));
      const only = await store.claimEffects(T, 10, 60_000, [shardOf(hinted)]);
      expect(only.map((e) => e.conferenceSid)).toEqual([hinted]);
      expect(await store.claimEffects(T, 10, 60_000, [])).toEqual([]);
      expect((await store.claimEffects(T, 10, 60_000)).map((e) => e.conferenceSid)).toEqual([
        other,
      ]);
    });
    it('schedules, lists, fires and cancels timers', async () => {
      const store = newStore();
      const [a, b] = sidsInDistinctShards(2) as [string, string];
      const event = { type: 'xstate.after.pingTimeout.recovery' };
      await store.commit(
        request(a, 0, {
          schedule: [
            { id: 't2', event, dueAt: T + 2000 },
            { id: 't1', event, dueAt: T + 1000 },
          ],
        }),
      );
      await store.commit(request(b, 0, { schedule: [{ id: 'tb', event, dueAt: T + 1500 }] }));
      expect(await store.nextDueAt()).toBe(T + 1000);
      expect(await store.dueTimers(T + 999, 10)).toEqual([]);
      expect(await store.dueTimers(T + 1500, 10)).toEqual([
        { conferenceSid: a, id: 't1', event, dueAt: T + 1000 },
        { conferenceSid: b, id: 'tb', event, dueAt: T + 1500 },
      ]);
      expect((await store.dueTimers(T + 5000, 2)).map((t) => t.id)).toEqual(['t1', 'tb']);

      // dueTimers removes nothing; the commit that fires a timer does, once.
      expect(await store.commit(request(a, 1, { firesTimer: 't1' }))).toEqual({
        ok: true,
        version: 2,
      });
      expect(await store.commit(request(a, 2, { firesTimer: 't1' }))).toEqual({
        ok: false,
        reason: 'timer-gone',
        version: 2,
      });
      await store.commit(request(a, 2, { cancel: ['t2'] }));
      expect(await store.commit(request(a, 3, { firesTimer: 't2' }))).toMatchObject({
        reason: 'timer-gone',
      });
      expect((await store.dueTimers(T + 5000, 10)).map((t) => t.id)).toEqual(['tb']);

      await store.dropTimer(b, 'tb');
      expect(await store.dueTimers(T + 5000, 10)).toEqual([]);
      expect(await store.nextDueAt()).toBeNull();
    });

    it('keeps a timer that one commit cancels and schedules again (state re-entry)', async () => {
      const store = newStore();
      const event = { type: 'xstate.after.x' };
      await store.commit(request(SID, 0, { schedule: [{ id: 't', event, dueAt: T + 1000 }] }));
      await store.commit(
        request(SID, 1, { cancel: ['t'], schedule: [{ id: 't', event, dueAt: T + 3000 }] }),
      );
      expect(await store.dueTimers(T + 10_000, 10)).toEqual([
        { conferenceSid: SID, id: 't', event, dueAt: T + 3000 },
      ]);
    });

    it('points task and worker indexes at the conference', async () => {
      const store = newStore();
      expect(await store.conferenceForTask('WT1')).toBeNull();
      await store.commit(request(SID, 0, { index: { taskSids: ['WT1'], workerSids: ['WK1'] } }));
      expect(await store.conferenceForTask('WT1')).toBe(SID);
      expect(await store.conferenceForWorker('WK1')).toBe(SID);
      expect(await store.conferenceForWorker('WT1')).toBeNull();
    });

    it('keeps routing indexes as fields of bucket hashes, an expired one read as absent and dropped', async () => {
      let now = T;
      const store = newStore({ liveTtlS: 3600, finalTtlS: 600, clock: () => now });
      const other = 'CFbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
      // Names that share a bucket, so one's write prunes the other.
      const names = Array.from({ length: 5000 }, (_, i) => `WT${i}`);
      const bucket = store.keys.indexBucket('task:WT1');
      const twin = names.find((n) => n !== 'WT1' && store.keys.indexBucket(`task:${n}`) === bucket);
      if (twin === undefined) throw new Error('no two task names share a bucket');
      await store.commit(request(SID, 0, { index: { taskSids: ['WT1'] } }));
      expect(await client.exists(store.keys.index('task:WT1'))).toBe(0);
      expect(await client.hget(bucket, 'task:WT1')).toMatch(new RegExp(`^${SID}\\|\\d{10}$`));
      expect(await client.ttl(bucket)).toBeGreaterThan(3500);
      now = T + 3_601_000;
      expect(await store.conferenceForTask('WT1')).toBeNull();
      await store.commit(request(other, 0, { index: { taskSids: [twin] } }));
      expect(await client.hexists(bucket, 'task:WT1')).toBe(0);
      expect(await store.conferenceForTask(twin)).toBe(other);
    });

    it('reads a routing index written before the buckets, until the name is written again', async () => {
      const store = newStore();
      const other = 'CFbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
      await client.set(store.keys.index('task:WTold'), SID, 'EX', 3600);
      await client.set(store.keys.index('worker:WKold'), SID, 'EX', 3600);
      await client.set(store.keys.index('redial:WTold'), SID, 'EX', 3600);
      expect(await store.conferenceForTask('WTold')).toBe(SID);
      expect(await store.conferenceForWorker('WKold')).toBe(SID);
      expect(await store.noteRedialCallback('WTold', '{}')).toBe(SID);
      await store.commit(request(other, 0, { index: { workerSids: ['WKold'] } }));
      expect(await client.exists(store.keys.index('worker:WKold'))).toBe(0);
      expect(await store.conferenceForWorker('WKold')).toBe(other);
      await store.commit(request(other, 1, { index: { redialNames: ['WTnew'] } }));
      expect(await store.noteRedialCallback('WTnew', '{}')).toBe(other);
      expect(await store.redialCallbacks('WTnew')).toEqual(['{}']);
    });

    it('points a recovery at the newest conference its customer was bridged into', async () => {
      const store = newStore();
      const from = 'CFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
      const other = 'CFbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
      expect(await store.conferenceBridgedFrom(from)).toBeNull();
      await store.commit(request(SID, 0, { index: { bridgedFrom: [from] } }));
      expect(await store.conferenceBridgedFrom(from)).toBe(SID);
      await store.commit(request(other, 0, { index: { bridgedFrom: [from] } }));
      expect(await store.conferenceBridgedFrom(from)).toBe(other);
      expect(await store.conferenceForTask(from)).toBeNull();
    });

    it('keeps at the end only the indexes a finished conference is still asked through', async () => {
      const store = newStore({ finalTtlS: 600, liveTtlS: 3600 });
      const from = 'CFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
      await store.commit(
        request(SID, 0, {
          index: {
            taskSids: ['WT1'],
            workerSids: ['WK1', 'WK2'],
            redialNames: ['WT2'],
            bridgedFrom: [from],
          },
        }),
      );
      await store.commit(request(SID, 1, { final: true, auditWorkerSids: ['WK2'] }));
      expect(await store.conferenceForTask('WT1')).toBeNull();
      expect(await store.conferenceForWorker('WK1')).toBeNull();
      expect(await indexTtl(store, 'redial:WT2')).toBe(-2);
      expect(await store.conferenceForWorker('WK2')).toBe(SID);
      expect(await store.conferenceBridgedFrom(from)).toBe(SID);
      for (const name of ['worker:WK2', `bridge:${from}`]) {
        const ttl = await indexTtl(store, name);
        expect(ttl, name).toBeGreaterThan(0);
        expect(ttl, name).toBeLessThanOrEqual(600);
      }
    });

    it('expires at the end every index that pointed here, including a set written before', async () => {
      const store = newStore({ finalTtlS: 600, liveTtlS: 3600 });
      const keys = store.keys.conference(SID);
      await store.commit(request(SID, 0, { index: { taskSids: ['WT12'] } }));
      // A name that is the start of another, and a repeated one, are kept once each.
      await store.commit(request(SID, 1, { index: { taskSids: ['WT1', 'WT12'] } }));
      expect(await client.hget(keys.state, 'indexes')).toBe('task:WT12\ntask:WT1\n');
      // A live conference of the layout before: its names in a set of their own.
      await client.sadd(keys.indexes, 'task:WTold');
      await client.set(store.keys.index('task:WTold'), SID, 'EX', 3600);
      await store.commit(request(SID, 2, { final: true }));
      for (const name of ['task:WT1', 'task:WT12', 'task:WTold']) {
        expect(await indexTtl(store, name), name).toBeLessThanOrEqual(600);
        expect(await client.ttl(store.keys.index(name)), name).toBeLessThanOrEqual(600);
      }
      expect(await client.hexists(keys.state, 'indexes')).toBe(0);
      expect(await client.exists(keys.indexes)).toBe(0);
      await expect(
        store.commit(request(SID, 3, { index: { taskSids: ['WT\n2'] } })),
      ).rejects.toThrow(/Invalid index name/);
    });

    it('appends outside a commit only at the expected version, when one is given', async () => {
      const store = newStore();
      await store.commit(request(SID, 0, { timeline: [entry('created')] }));
      expect(await store.appendTimeline(SID, [entry('stale')], 0)).toBe(false);
      expect(await store.appendTimeline(SID, [entry('current')], 1)).toBe(true);
      expect(await store.appendTimeline(SID, [entry('any')])).toBe(true);
      expect(
        await store.appendTimeline('CF00000000000000000000000000000fff', [entry('unknown')], 1),
      ).toBe(false);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['created', 'current', 'any']);
      expect(await store.timeline('CF00000000000000000000000000000fff')).toEqual([]);
    });

    it('appends to the timeline and keeps only the newest entries', async () => {
      const store = newStore({ timelineCap: 5 });
      await store.commit(request(SID, 0, { timeline: [entry('c1'), entry('c2'), entry('c3')] }));
      await store.appendTimeline(SID, [entry('a1'), entry('a2'), entry('a3'), entry('a4')]);
      await store.appendTimeline(SID, []);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual([
        'c3',
        'a1',
        'a2',
        'a3',
        'a4',
      ]);
      expect((await store.timeline(SID, 2)).map((e) => e.name)).toEqual(['a3', 'a4']);
      expect(await store.timeline(SID, 0)).toEqual([]);
      const detailed: TimelineEntry = {
        at: T,
        kind: 'event',
        name: 'x',
        state: 'pinging',
        detail: { a: [1] },
      };
      await store.commit(request(SID, 1, { timeline: [detailed] }));
      expect(await store.timeline(SID, 1)).toEqual([detailed]);
    });

    it('gives every key of a live conference a maximum lifetime, renewed by each commit', async () => {
      const store = newStore({ finalTtlS: 600, liveTtlS: 3600 });
      await store.commit(
        request(SID, 0, {
          dedupeIds: ['ev-1'],
          timeline: [entry('start')],
          schedule: [{ id: 't1', event: { type: 'xstate.after.x' }, dueAt: T + 1000 }],
          index: { taskSids: ['WT9'], workerSids: ['WK9'] },
        }),
      );
      const keys = store.keys.conference(SID);
      const live = [keys.state, keys.timers];
      for (const key of live) {
        const ttl = await client.ttl(key);
        expect(ttl, key).toBeGreaterThan(3500);
        expect(ttl, key).toBeLessThanOrEqual(3600);
      }
      for (const name of ['task:WT9', 'worker:WK9']) {
        const ttl = await indexTtl(store, name);
        expect(ttl, name).toBeGreaterThan(3500);
        expect(ttl, name).toBeLessThanOrEqual(3600);
      }
      // Activity renews it: a commit after the TTL was shortened brings it back up.
      await client.expire(keys.state, 10);
      await store.commit(request(SID, 1, { dedupeIds: ['ev-2'] }));
      expect(await client.ttl(keys.state)).toBeGreaterThan(3500);
    });

    it('expires every key of a final conference, and the keys written after it', async () => {
      const store = newStore({ finalTtlS: 600 });
      const other = 'CFother000000000000000000000000000';
      const event = { type: 'xstate.after.x' };
      await store.commit(
        request(SID, 0, {
          dedupeIds: ['ev-1'],
          timeline: [entry('start')],
          effects: [effect('k1'), effect('k2')],
          schedule: [{ id: 'forgotten', event, dueAt: T + 1000 }],
          index: { taskSids: ['WT1'], workerSids: ['WK1'] },
        }),
      );
      await store.claimEffects(T, 1, 1000);
      await store.completeEffect(SID, 'k1', entry('k1 done'));
      // The worker moved on to another conference: that pointer must outlive this one.
      await store.commit(request(other, 0, { index: { workerSids: ['WK1'] } }));

      expect(await store.commit(request(SID, 1, { final: true, dedupeIds: ['ev-2'] }))).toEqual({
        ok: true,
        version: 2,
      });
      expect((await store.load(SID))?.final).toBe(true);
      const keys = store.keys.conference(SID);
      // What only a live conference needs is gone: a final chart ignores any redelivery, and
      // the index names were handed back for expiry. The timeline is packed in the state.
      expect(await client.exists(keys.seen, keys.indexes)).toBe(0);
      expect(await client.hexists(keys.state, 'tail')).toBe(0);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['start', 'k1 done']);
      expect(await store.isEffectDone(SID, 'k1')).toBe(true);
      for (const key of [keys.state]) {
        const ttl = await client.ttl(key);
        expect({ key, ttl }).toEqual({ key, ttl: expect.any(Number) as number });
        expect(ttl, key).toBeGreaterThan(0);
        expect(ttl, key).toBeLessThanOrEqual(600);
      }
      // A final recovery fires no timer it forgot to cancel.
      expect(await client.exists(keys.timers)).toBe(0);
      expect(await store.dueTimers(T + 10_000, 10)).toEqual([]);
      // Only a live conference is looked up by its task: the index goes at the end.
      expect(await indexTtl(store, 'task:WT1')).toBe(-2);
      // Still pointing at the live conference, so it keeps that one's live TTL.
      expect(await indexTtl(store, 'worker:WK1')).toBeGreaterThan(600);
      expect(await store.conferenceForWorker('WK1')).toBe(other);

      // The pending effect still runs after the final commit; what it writes expires too.
      const [pending] = await store.claimEffects(T + 10, 10, 1000);
      expect(pending?.key).toBe('k2');
      await store.completeEffect(SID, 'k2', entry('k2 done'));
      await store.appendTimeline(SID, [entry('note')]);
      // A late commit (a stray event after the end) does not make the conference immortal.
      await store.commit(request(SID, 2, { dedupeIds: ['ev-3'] }));
      expect(await store.isEffectDone(SID, 'k2')).toBe(true);
      expect(await client.exists(keys.done)).toBe(0);
      for (const key of [keys.state]) {
        expect(await client.ttl(key), key).toBeGreaterThan(0);
      }
    });

    it('keeps the final timeline cap once final, and the live one before', async () => {
      const store = newStore({ timelineCap: 4, finalTimelineCap: 2 });
      const names = ['e1', 'e2', 'e3', 'e4', 'e5'];
      await store.commit(request(SID, 0, { timeline: names.map((name) => entry(name)) }));
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['e2', 'e3', 'e4', 'e5']);
      await store.commit(request(SID, 1, { final: true, timeline: [entry('end')] }));
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['e5', 'end']);
      // What arrives after the end keeps the final cap too: in the list, and packed again
      // with the entries packed before by a later final commit.
      await store.appendTimeline(SID, [entry('late')]);
      await store.commit(request(SID, 2, { final: true, effects: [effect('k9')] }));
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['end', 'late']);
      await store.claimEffects(T, 10, 1000);
      await store.retryEffect(SID, 'k9', T + 500, entry('k9 retry'));
      await store.completeEffect(SID, 'k9', entry('k9 done'));
      await store.appendTimeline(SID, [entry('later')]);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual([
        'end',
        'late',
        'k9 done',
        'later',
      ]);
      expect((await store.timeline(SID, 3)).map((e) => e.name)).toEqual([
        'late',
        'k9 done',
        'later',
      ]);
    });

    it('packs a finished conference: timeline and snapshot compressed, read back as they were', async () => {
      const store = newStore();
      const keys = store.keys.conference(SID);
      const snapshot = { value: 'ended', context: { sid: SID, again: SID, note: 'ü ✓' } };
      const detailed: TimelineEntry = {
        at: T,
        kind: 'event',
        name: 'participant.updated',
        state: 'connected',
        detail: { source: 'conference-status', outcome: 'applied', seq: 3, hold: true },
      };
      await store.commit(request(SID, 0, { timeline: [entry('start'), detailed] }));
      await store.commit(request(SID, 1, { final: true, snapshot, timeline: [entry('end')] }));
      // One packed record of both: the SIDs they share are paid for once.
      const record = await client.hgetBuffer(keys.state, 'record');
      if (backend.binary) expect(record?.[0]).toBe(0xff);
      else expect(record?.toString()).toMatch(/^~y/);
      const fields = ['snapshot', 'timeline', 'tail'] as const;
      for (const field of fields) expect(await client.hexists(keys.state, field), field).toBe(0);
      expect(await store.load(SID)).toEqual({
        conferenceSid: SID,
        version: 2,
        snapshot,
        final: true,
      });
      expect(await store.timeline(SID)).toEqual([entry('start'), detailed, entry('end')]);

      // After the end: late entries and a stray commit's snapshot are read, then packed in.
      await store.appendTimeline(SID, [entry('late')]);
      const later = { ...snapshot, value: 'ended again' };
      await store.commit(request(SID, 2, { final: true, snapshot: later }));
      expect(await client.hexists(keys.state, 'snapshot')).toBe(0);
      expect((await store.load(SID))?.snapshot).toEqual(later);
      await store.appendTimeline(SID, [entry('later')]);
      expect((await store.load(SID))?.snapshot).toEqual(later);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual([
        'start',
        'participant.updated',
        'end',
        'late',
        'later',
      ]);
      expect((await store.timeline(SID, 2)).map((e) => e.name)).toEqual(['late', 'later']);
    });

    it('keeps every value of the state hash within a listpack entry, long ones in pieces', async () => {
      const store = newStore();
      const keys = store.keys.conference(SID);
      // Text beyond ASCII that does not compress: pieces never split a character.
      const varied = Array.from({ length: 120 }, (_, i) => String.fromCodePoint(0xe0 + i * 97));
      const snapshot = { value: 'connected', note: varied.join('') };
      const names = Array.from({ length: 3 }, (_, i) => `entrée ${'€'.repeat(30)} ${i}`);
      await store.commit(
        request(SID, 0, {
          snapshot,
          timeline: names.map((name) => entry(name)),
          index: { taskSids: ['WT'.padEnd(34, '1')], workerSids: ['WK'.padEnd(34, '2')] },
        }),
      );
      const fields = await client.hgetallBuffer(keys.state);
      for (const [field, value] of Object.entries(fields)) {
        expect(value.length, field).toBeLessThanOrEqual(64);
      }
      // Later pieces have one-letter names (state-fields.ts SHORT).
      expect(fields['S1']).toBeDefined();
      // Bytes (a binary store's packed values) are cut anywhere: full pieces.
      if (backend.binary) expect(fields['snapshot']?.length).toBe(64);
      expect(await store.load(SID)).toMatchObject({ version: 1, snapshot });
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(names);
      // A shorter value leaves no piece of the longer one behind.
      await store.commit(request(SID, 1, { snapshot: { value: 'short' } }));
      expect(await client.hexists(keys.state, 'S1')).toBe(0);
      expect((await store.load(SID))?.snapshot).toEqual({ value: 'short' });
      // A value the layout before wrote whole is read whole.
      await client.hset(keys.state, 'snapshot', JSON.stringify(snapshot));
      expect((await store.load(SID))?.snapshot).toEqual(snapshot);
      // Pieces named after the whole field, as written before, are read; a write drops them.
      const json = JSON.stringify(snapshot);
      await client.hset(keys.state, 'snapshot', json.slice(0, 40), 'snapshot1', json.slice(40));
      expect((await store.load(SID))?.snapshot).toEqual(snapshot);
      const old = JSON.stringify(entry('old'));
      await client.hdel(keys.state, 'tail', 'L1', 'L2', 'L3', 'L4', 'L5');
      await client.hset(keys.state, 'tail', old.slice(0, 10), 'tail1', `${old.slice(10)}\n`);
      expect((await store.timeline(SID)).at(-1)).toEqual(entry('old'));
      await store.commit(request(SID, 2, { snapshot, timeline: [entry('after')] }));
      expect(await client.hexists(keys.state, 'snapshot1')).toBe(0);
      expect(await client.hexists(keys.state, 'tail1')).toBe(0);
      expect((await store.load(SID))?.snapshot).toEqual(snapshot);
      expect((await store.timeline(SID)).map((e) => e.name).slice(-2)).toEqual(['old', 'after']);
    });

    it('reads what a store of the other packing wrote, binary or text', async () => {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      const other = 'CFbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
      const text = new RedisStore(client, { prefix, clock: () => T, binary: false });
      // ioredis-mock's Lua is not binary-safe: only real servers write bytes.
      const stores = backend.binary
        ? [text, new RedisStore(client, { prefix, clock: () => T, binary: true })]
        : [text];
      const names = Array.from({ length: 9 }, (_, i) => `e${i + 1}`);
      for (const [i, writer] of stores.entries()) {
        const sid = i === 0 ? SID : other;
        const snapshot = { value: 'connected', context: { writer: i, long: 'x'.repeat(300) } };
        await writer.commit(request(sid, 0, { snapshot, timeline: [entry('e1')] }));
        await writer.appendTimeline(
          sid,
          names.slice(1, 5).map((n) => entry(n)),
        );
        for (const reader of stores) {
          expect((await reader.load(sid))?.snapshot).toEqual(snapshot);
          expect((await reader.timeline(sid)).map((e) => e.name)).toEqual(names.slice(0, 5));
        }
        // The other store packs on: the timeline, then a finished record.
        const next = stores[(i + 1) % stores.length] ?? writer;
        await next.appendTimeline(
          sid,
          names.slice(5).map((n) => entry(n)),
        );
        await next.commit(request(sid, 1, { snapshot, final: true }));
        for (const reader of stores) {
          expect((await reader.load(sid))?.snapshot).toEqual(snapshot);
          expect((await reader.timeline(sid)).map((e) => e.name)).toEqual(names);
        }
      }
    });

    it('packs a live timeline every few entries, read back whole and capped', async () => {
      const store = newStore({ timelineCap: 6 });
      const keys = store.keys.conference(SID);
      const tail = async () => (await readStateField(client, keys.state, 'tail')) ?? '';
      const names = Array.from({ length: 9 }, (_, i) => `e${i + 1}`);
      await store.commit(request(SID, 0, { timeline: names.slice(0, 3).map((n) => entry(n)) }));
      expect((await tail()).split('\n')).toHaveLength(4); // three, each ended by a newline
      await store.appendTimeline(SID, [entry('e4')]);
      // Four unpacked: packed into the state's timeline field.
      expect(await client.hexists(keys.state, 'tail')).toBe(0);
      const packed = await client.hgetBuffer(keys.state, 'timeline');
      // Bytes behind 0xFF on a binary store, base64 behind its mark otherwise (packing.ts).
      if (backend.binary) expect(packed?.[0]).toBe(0xff);
      else expect(packed?.toString()).toMatch(/^~y/);
      await store.commit(request(SID, 1, { timeline: names.slice(4, 7).map((n) => entry(n)) }));
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(names.slice(1, 7));
      expect((await store.timeline(SID, 2)).map((e) => e.name)).toEqual(['e6', 'e7']);
      await store.commit(request(SID, 2, { timeline: names.slice(7).map((n) => entry(n)) }));
      expect(await client.hexists(keys.state, 'tail')).toBe(0);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(names.slice(3));
      expect(await client.exists(keys.timeline)).toBe(0);
    });

    it('packs the timeline in the commit when it knows what it wrote, and not when that moved', async () => {
      const store = newStore();
      const keys = store.keys.conference(SID);
      // Another instance on the same keys: what it writes, the first does not know.
      const other = new RedisStore(client, {
        prefix: store.keys.prefix,
        clock: () => T,
        binary: backend.binary,
      });
      const names = (from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => `e${from + i}`);
      const commit = (version: number, from: number, to: number) =>
        store.commit(request(SID, version, { timeline: names(from, to).map((n) => entry(n)) }));
      const reads = vi.spyOn(client, 'lrange');
      await commit(0, 1, 2);
      await commit(1, 3, 3);
      await commit(2, 4, 4);
      // Packed by the commit itself: nothing read back to pack it.
      expect(await client.hexists(keys.state, 'tail')).toBe(0);
      expect(reads).not.toHaveBeenCalled();
      await commit(3, 5, 8);
      expect(await client.hexists(keys.state, 'tail')).toBe(0);
      expect(reads).not.toHaveBeenCalled();
      // The other instance packs entries of its own: the same (empty) tail, another timeline.
      await other.appendTimeline(SID, [entry('x1'), entry('x2'), entry('x3'), entry('x4')]);
      expect(await client.hexists(keys.state, 'tail')).toBe(0);
      await commit(4, 9, 12);
      // An entry appended to the tail behind this instance's back.
      await other.appendTimeline(SID, [entry('y')]);
      await commit(5, 13, 15);
      expect(reads).toHaveBeenCalled();
      const all = [...names(1, 8), 'x1', 'x2', 'x3', 'x4', ...names(9, 12), 'y', ...names(13, 15)];
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(all);
      expect(await client.hexists(keys.state, 'tail')).toBe(0);
      // Known again after the packing that followed: packed in the commit once more.
      reads.mockClear();
      await commit(6, 16, 19);
      expect(reads).not.toHaveBeenCalled();
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual([...all, ...names(16, 19)]);
      reads.mockRestore();
    });

    it('keeps each unpacked entry packed on its own when that is shorter', async () => {
      const store = newStore();
      const keys = store.keys.conference(SID);
      const long: TimelineEntry = {
        at: T,
        kind: 'event',
        name: 'participant.updated',
        state: 'connected',
        detail: {
          source: 'conference-status',
          outcome: 'applied',
          callSid: `CA${'ab'.repeat(16)}`,
          label: 'customer',
          hold: true,
        },
      };
      await store.commit(request(SID, 0, { timeline: [long, entry('x')] }));
      const [packedLine = '', plainLine = ''] = (
        (await readStateField(client, keys.state, 'tail')) ?? ''
      ).split('\n');
      expect(packedLine).toMatch(/^~y/);
      expect(plainLine).not.toMatch(/^~/);
      expect(await store.timeline(SID)).toEqual([long, entry('x')]);
    });

    it('reads and packs a timeline list written by the layout before', async () => {
      const store = newStore();
      const keys = store.keys.conference(SID);
      await store.commit(request(SID, 0, { timeline: [entry('c')] }));
      const older = [entry('a'), entry('b')].map((e) => JSON.stringify(e));
      await client.rpush(keys.timeline, ...older);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['a', 'b', 'c']);
      await store.commit(request(SID, 1, { final: true, timeline: [entry('end')] }));
      expect(await client.llen(keys.timeline)).toBe(0);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['a', 'b', 'c', 'end']);
    });

    it('packs nothing when the conference moved since the entries were read', async () => {
      const store = newStore();
      const keys = store.keys.conference(SID);
      await store.commit(request(SID, 0, { timeline: [entry('c')] }));
      const listed = [entry('a'), entry('b'), entry('x')].map((e) => JSON.stringify(e));
      await client.rpush(keys.timeline, ...listed);
      const tail = (await readStateField(client, keys.state, 'tail')) ?? '';
      const pack = (field: string, first: string, last: string, tailRead = tail) =>
        runScript(
          client,
          'compactTimeline',
          [keys.state, keys.timeline],
          [field, '2', first, last, tailRead, '~zpacked'],
        );
      const [a = '', b = '', x = ''] = listed;
      // A field that moved on, other entries at those places, a tail that moved: untouched.
      expect(await pack('~zother', a, b)).toBe(0);
      expect(await pack('', b, x)).toBe(0);
      expect(await pack('', a, b, 'other\n')).toBe(0);
      expect(await client.hexists(keys.state, 'timeline')).toBe(0);
      expect(await client.lrange(keys.timeline, 0, -1)).toEqual(listed);
      // An entry appended to the tail since it was read stays there.
      await client.hset(keys.state, 'tail', `${tail}${JSON.stringify(entry('d'))}\n`);
      expect(await pack('', a, b)).toBe(1);
      expect(await client.lrange(keys.timeline, 0, -1)).toEqual([x]);
      expect(await client.hget(keys.state, 'tail')).toBe(`${JSON.stringify(entry('d'))}\n`);
      expect(await pack('', x, x)).toBe(0); // the field moved on
      // A conference that is gone gets no state hash back.
      await client.del(keys.state);
      expect(await pack('', x, x, '')).toBe(0);
      expect(await client.exists(keys.state)).toBe(0);
    });

    it('recognises delivery ids and done effect keys stored before tokens', async () => {
      const store = newStore();
      await store.commit(request(SID, 0));
      const keys = store.keys.conference(SID);
      await client.sadd(keys.seen, 'old-delivery');
      await client.sadd(keys.done, 'old-effect', memberToken('old-token-effect'));
      expect(await store.commit(request(SID, 1, { dedupeIds: ['old-delivery'] }))).toEqual({
        ok: false,
        reason: 'duplicate',
        version: 1,
      });
      expect(await store.isEffectDone(SID, 'old-effect')).toBe(true);
      expect(await store.isEffectDone(SID, 'old-token-effect')).toBe(true);
      expect(await store.isEffectDone(SID, 'new')).toBe(false);
      await store.commit(
        request(SID, 1, {
          effects: [effect('old-effect'), effect('old-token-effect'), effect('new')],
        }),
      );
      expect((await store.claimEffects(T + 10, 10, 1000)).map((e) => e.key)).toEqual(['new']);
      // Completed now: in the state's field, never enqueued again.
      await store.completeEffect(SID, 'new', entry('new done'));
      expect(await store.isEffectDone(SID, 'new')).toBe(true);
      expect(await client.hget(keys.state, 'done')).toBe(`${memberToken('new')},`);
      await store.commit(request(SID, 2, { effects: [effect('new')] }));
      expect(await store.claimEffects(T + 10, 10, 1000)).toEqual([]);
    });

    it('gives keys of an unknown conference a TTL, and the live one when the conference is created', async () => {
      const store = newStore({ finalTtlS: 600, liveTtlS: 7200 });
      await store.appendTimeline(SID, [entry('early note')]);
      const { state } = store.keys.conference(SID);
      expect(await client.ttl(state)).toBeGreaterThan(0);
      expect(await store.load(SID)).toBeNull();
      await store.commit(request(SID, 0, { timeline: [entry('created')] }));
      expect(await client.ttl(state)).toBeGreaterThan(600);
      expect((await store.timeline(SID)).map((e) => e.name)).toEqual(['early note', 'created']);
    });
  });
}
