/**
 * RecoveryStore on Redis (single node, Cluster, or ioredis-mock). Every write that must be
 * atomic is one Lua script over one shard's slot; see lua/*.lua for the exact contracts.
 */
import { KeyLayout, DEFAULT_PREFIX, member, sentMark, shardOf } from './keys.ts';
import { commitArgs, decodeClaims, decodeCommit, decodeTimers, firstScore } from './codec.ts';
import type { PackedTimeline } from './codec.ts';
import { ConferenceListing } from './listing.ts';
import { bridgeIndexName, keptAfterEnd, taskIndexName, workerIndexName } from './index-names.ts';
import { noteRedialCallback, redialCallbacks, redialIndexName } from './redial-log.ts';
import { pointIndex, readIndex, releaseIndex } from './routing-index.ts';
import { defineScripts, runScript } from './scripts.ts';
import {
  packEntries,
  packEntry,
  packRecord,
  unpack,
  unpackEntries,
  unpackRecord,
} from './packing.ts';
import { decodeSnapshot } from './snapshot-codec.ts';
import { readState, readStateField, stateField, stateValue } from './state-fields.ts';
import { decodeEntry, encodeEntry } from './timeline-codec.ts';
import { TimelineCache } from './timeline-cache.ts';
import type { KnownTimeline } from './timeline-cache.ts';
import { memberToken } from './tokens.ts';
import type { RedisClient } from './scripts.ts';
import { SHARD_COUNT } from './types.ts';
import type {
  ChangeMessage,
  CommitRequest,
  ConferencePage,
  ConferenceQuery,
  CommitResult,
  EffectStart,
  OutboxEffect,
  RecoveryStore,
  StoredRecovery,
  TimelineEntry,
  TimerEntry,
} from './types.ts';

export const DEFAULT_FINAL_TTL_S = 86_400;
/** Entries kept while live: a long call's newest (packed, a few bytes each). */
export const DEFAULT_TIMELINE_CAP = 200;
/**
 * Entries a finished conference keeps for audit until its final TTL: as many as a live one,
 * since they are packed (packing.ts) and an export for replay wants them all.
 */
export const DEFAULT_FINAL_TIMELINE_CAP = 200;
/**
 * Entries a live conference keeps unpacked (its state's 'tail') before they are packed into
 * its 'timeline' field (compact-timeline.lua): a packed entry costs a few bytes, an unpacked
 * one about 150. Each packing re-compresses the whole timeline, so not at every entry.
 */
export const PACK_TIMELINE_AT = 4;
/**
 * Consumed delivery ids a live conference remembers (its state's 'seen' field, 9 bytes each):
 * Twilio and the plugin redeliver within minutes, a call sees a few dozen callbacks, and the
 * field must stay bounded for a call that lasts hours.
 */
export const DEFAULT_SEEN_CAP = 200;
/** Six hours: far beyond any call, so only a conference whose end was never seen expires. */
export const DEFAULT_LIVE_TTL_S = 21_600;

export interface RedisStoreOptions {
  /** First segment of every key (default 'll'); tests use a unique one each. */
  prefix?: string;
  /** Seconds every key of a conference lives after its final commit (default 86400). */
  finalTtlS?: number;
  /**
   * Seconds a conference that has not reached a final state lives after its last commit
   * (default 21600): renewed by every commit, so only a forgotten one expires.
   */
  liveTtlS?: number;
  /** Timeline entries kept per live conference, newest last (default 200). */
  timelineCap?: number;
  /** Timeline entries kept once the conference is final (default 200). */
  finalTimelineCap?: number;
  /** Consumed delivery ids a live conference remembers, newest (default 200). */
  seenCap?: number;
  /** Clock for the due time of effects a commit enqueues (default Date.now). */
  clock?: () => number;
  /**
   * Packed snapshots and timelines as raw bytes, a quarter shorter than base64 (packing.ts):
   * for a real Redis (connect.ts), not ioredis-mock, whose Lua is not binary-safe. Either
   * store reads what the other wrote.
   */
  binary?: boolean;
}

const shards = Array.from({ length: SHARD_COUNT }, (_, shard) => shard);

function assertPositiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  }
}

/**
 * The state's 'tail' field: entries, each followed by a newline (lua/commit.lua), each packed
 * on its own or not (packEntry): returned as the timeline codec wrote them.
 */
function tailEntries(tail: string | null): string[] {
  if (tail === null || tail === '') return [];
  return tail.slice(0, -1).split('\n').map(unpack);
}

/** Entries in a 'tail' field: each ends with a newline. */
function tailLength(tail: string): number {
  let n = 0;
  for (let at = tail.indexOf('\n'); at !== -1; at = tail.indexOf('\n', at + 1)) n += 1;
  return n;
}

/** A conference created by a commit: nothing packed, nothing in its tail before. */
const NO_TIMELINE: KnownTimeline = { version: 0, packed: null, tail: '' };

export class RedisStore implements RecoveryStore {
  readonly keys: KeyLayout;
  private readonly finalTtlS: number;
  private readonly timelineCap: number;
  private readonly finalTimelineCap: number;
  private readonly seenCap: number;
  private readonly liveTtlS: number;
  private readonly clock: () => number;
  private readonly binary: boolean;
  /** Where the next claim starts, so a busy shard does not starve the others. */
  private claimFrom = 0;
  readonly #listing: ConferenceListing;
  /** Change lines waiting for this turn's PUBLISH (publishChange). */
  #outgoing: string[] = [];
  /** The timeline fields this instance wrote last, so a commit can pack them itself. */
  readonly #timelines = new TimelineCache();

  constructor(
    private readonly client: RedisClient,
    options: RedisStoreOptions = {},
  ) {
    this.keys = new KeyLayout(options.prefix ?? DEFAULT_PREFIX);
    this.finalTtlS = options.finalTtlS ?? DEFAULT_FINAL_TTL_S;
    this.timelineCap = options.timelineCap ?? DEFAULT_TIMELINE_CAP;
    this.finalTimelineCap = options.finalTimelineCap ?? DEFAULT_FINAL_TIMELINE_CAP;
    this.seenCap = options.seenCap ?? DEFAULT_SEEN_CAP;
    this.liveTtlS = options.liveTtlS ?? DEFAULT_LIVE_TTL_S;
    assertPositiveInt('liveTtlS', this.liveTtlS);
    this.clock = options.clock ?? Date.now;
    this.binary = options.binary ?? false;
    assertPositiveInt('finalTtlS', this.finalTtlS);
    assertPositiveInt('timelineCap', this.timelineCap);
    assertPositiveInt('finalTimelineCap', this.finalTimelineCap);
    assertPositiveInt('seenCap', this.seenCap);
    defineScripts(client);
    this.#listing = new ConferenceListing({
      client,
      keys: this.keys.listing(),
      stateKey: (sid) => this.keys.conference(sid).state,
      clock: this.clock,
      finalTtlS: this.finalTtlS,
    });
  }

  async load(conferenceSid: string): Promise<StoredRecovery | null> {
    const { state } = this.keys.conference(conferenceSid);
    const fields = await readState(this.client, state);
    const version = fields['version']?.toString();
    const snapshot = stateValue(fields, 'snapshot');
    const record = stateValue(fields, 'record');
    // A finished conference's snapshot is in its record (#packTimeline), unless a commit
    // after the end wrote a newer one.
    const stored = snapshot ?? (record == null ? null : unpackRecord(record).snapshot);
    if (version === undefined || stored == null) return null;
    return {
      conferenceSid,
      version: Number(version),
      snapshot: decodeSnapshot(unpack(stored)),
      final: fields['final']?.toString() === '1',
    };
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const sid = request.conferenceSid;
    if (!Number.isInteger(request.expectedVersion) || request.expectedVersion < 0) {
      throw new RangeError(
        `expectedVersion must be an integer >= 0, got ${request.expectedVersion}.`,
      );
    }
    const conference = this.keys.conference(sid);
    const queues = this.keys.shard(shardOf(sid));
    const indexNames = [
      ...(request.index?.taskSids ?? []).map(taskIndexName),
      ...(request.index?.workerSids ?? []).map(workerIndexName),
      ...(request.index?.redialNames ?? []).map(redialIndexName),
      ...(request.index?.bridgedFrom ?? []).map(bridgeIndexName),
    ];
    // The state keeps the names one a line (lua/commit.lua).
    const badName = indexNames.find((name) => name.includes('\n'));
    if (badName !== undefined) throw new Error(`Invalid index name ${JSON.stringify(badName)}.`);
    // Routing hints live in the {idx} slot, so the commit script cannot write them; they go
    // first, and a failed commit leaves them pointing at the same conference, which is harmless.
    const now = this.clock();
    await Promise.all(
      indexNames.map((name) =>
        pointIndex(
          this.client,
          this.keys,
          name,
          sid,
          now,
          request.final ? this.finalTtlS : this.liveTtlS,
        ),
      ),
    );
    const texts = request.timeline.map(encodeEntry);
    const known = request.final ? undefined : this.#timelines.at(sid, request.expectedVersion);
    const packed = known === undefined ? undefined : this.#packedFor(known, texts);
    // Entries the commit packs reach the tail only when the guess was stale, and then are
    // packed with the rest right after (below): not deflated one by one for that.
    const entries = packed === undefined ? texts.map(packEntry) : texts;
    const args = commitArgs(
      request,
      {
        finalTtlS: this.finalTtlS,
        liveTtlS: this.liveTtlS,
        timelineCap: this.timelineCap,
        finalTimelineCap: this.finalTimelineCap,
        seenCap: this.seenCap,
        now,
        binary: this.binary,
      },
      indexNames,
      entries,
      packed,
    );
    const reply = await runScript(
      this.client,
      'commit',
      [
        conference.state,
        conference.timeline,
        conference.seen,
        conference.done,
        conference.timers,
        conference.indexes,
        queues.outbox,
        queues.effects,
        queues.timers,
        queues.timerEvents,
      ],
      args,
    );
    const decoded = decodeCommit(reply);
    const { result, timelineLength, indexNames: toExpire } = decoded;
    if (!result.ok || request.final) this.#timelines.delete(sid);
    else if (decoded.packed && packed !== undefined) {
      this.#timelines.set(sid, { version: result.version, packed: packed.value, tail: '' });
    } else {
      const before = packed === undefined ? (known ?? this.#created(request)) : undefined;
      this.#appended(sid, before, entries, timelineLength, result.version);
    }
    if (result.ok && request.summary === 'unchanged') this.#listing.touch(sid);
    else if (result.ok && request.summary !== undefined) await this.#listing.record(sid);
    // Every index that ever pointed here goes at the end, unless it was re-pointed: deleted
    // (about 90 bytes each for the final TTL), or expiring with the conference when the
    // finished one is still looked up through it (index-names.ts).
    const keep = keptAfterEnd(request.auditWorkerSids ?? []);
    await Promise.all(
      toExpire.map((name) =>
        releaseIndex(this.client, this.keys, name, sid, now, keep(name) ? this.finalTtlS : 0),
      ),
    );
    if (result.ok && (request.final || timelineLength >= PACK_TIMELINE_AT)) {
      // A finished conference keeps nothing unpacked for its audit life.
      await this.#packTimeline(sid);
    }
    return result;
  }

  /**
   * The timeline a commit packs (lua/commit.lua ARGV[20..22]) when the entries it would leave
   * unpacked are due for packing: what this instance wrote last, and the commit's entries.
   */
  #packedFor(known: KnownTimeline, texts: readonly string[]): PackedTimeline | undefined {
    const tailed = tailEntries(known.tail);
    if (tailed.length + texts.length < PACK_TIMELINE_AT) return undefined;
    const merged = [...unpackEntries(known.packed), ...tailed, ...texts].slice(-this.timelineCap);
    return {
      value: packEntries(merged, this.binary),
      timeline: known.packed ?? '',
      tail: known.tail,
    };
  }

  /** A create starts from no timeline (unless entries were appended before it: checked). */
  #created(request: CommitRequest): KnownTimeline | undefined {
    return request.expectedVersion === 0 ? NO_TIMELINE : undefined;
  }

  /**
   * Remembers the timeline fields after `entries` were appended to the tail of `before`,
   * when the number of unpacked entries a script replied agrees; else forgets them.
   */
  #appended(
    sid: string,
    before: KnownTimeline | undefined,
    entries: readonly string[],
    unpacked: number,
    version: number,
  ): void {
    const tail = `${before?.tail ?? ''}${entries.map((entry) => `${entry}\n`).join('')}`;
    if (before === undefined || tailLength(tail) !== unpacked) this.#timelines.delete(sid);
    else this.#timelines.set(sid, { version, packed: before.packed, tail });
  }

  /**
   * Moves the unpacked timeline entries (the state's 'tail' field, and the timeline list of
   * the layout before) into the state's packed 'timeline' field (packing.ts,
   * lua/compact-timeline.lua), keeping the newest `cap` of them there. A finished conference
   * gets one packed 'record' of its snapshot and timeline instead (about 300 bytes less than
   * two fields). Only an optimisation, and never a failure of the write before it: when
   * anything moved meanwhile the script leaves it as it is, and unpacked entries are read
   * as well.
   */
  async #packTimeline(conferenceSid: string): Promise<void> {
    const { state, timeline } = this.keys.conference(conferenceSid);
    try {
      const [fields, listed] = await Promise.all([
        readState(this.client, state),
        this.client.lrange(timeline, 0, -1),
      ]);
      // Packed values as read (text or bytes): the script compares them with what it finds.
      const packed = stateValue(fields, 'timeline');
      const tail = stateField(fields, 'tail');
      const final = fields['final']?.toString() ?? null;
      const snapshot = stateValue(fields, 'snapshot');
      const record = stateValue(fields, 'record');
      const tailed = tailEntries(tail);
      const sealed = record === null ? null : unpackRecord(record);
      const sealing = final === '1' && (snapshot !== null || sealed !== null);
      if (listed.length === 0 && tailed.length === 0 && !(sealing && snapshot !== null)) return;
      const cap = final === '1' ? this.finalTimelineCap : this.timelineCap;
      const older = [...(sealing ? (sealed?.entries ?? []) : []), ...unpackEntries(packed)];
      const merged = [...older, ...listed, ...tailed].slice(-cap);
      const value = sealing
        ? packRecord(
            snapshot === null ? (sealed?.snapshot ?? '') : unpack(snapshot),
            merged,
            this.binary,
          )
        : packEntries(merged, this.binary);
      const done = await runScript(
        this.client,
        'compactTimeline',
        [state, timeline],
        [
          packed ?? '',
          String(listed.length),
          listed[0] ?? '',
          listed.at(-1) ?? '',
          tail ?? '',
          value,
          sealing ? 'record' : 'timeline',
          snapshot ?? '',
          record ?? '',
        ],
      );
      // Its tail is empty now, unless an entry was appended since it was read: then the next
      // commit finds out (lua/commit.lua compares) and packs this way again.
      const version = Number(fields['version']?.toString());
      if (Number(done) === 1 && !sealing && Number.isInteger(version)) {
        this.#timelines.set(conferenceSid, { version, packed: value, tail: '' });
      } else this.#timelines.delete(conferenceSid);
    } catch {
      this.#timelines.delete(conferenceSid);
      // Left as it is: the next packing takes these entries too.
    }
  }

  async timeline(conferenceSid: string, limit?: number): Promise<TimelineEntry[]> {
    const { timeline, state } = this.keys.conference(conferenceSid);
    if (limit !== undefined && limit <= 0) return [];
    // Oldest first: the packed entries, the list of the layout before, then the tail.
    const wanted = limit === undefined ? undefined : Math.floor(limit);
    // The whole list (it is capped): ioredis-mock mishandles a start before its first entry.
    const [fields, listed] = await Promise.all([
      readState(this.client, state),
      this.client.lrange(timeline, 0, -1),
    ]);
    const packed = stateValue(fields, 'timeline');
    const tail = stateField(fields, 'tail');
    const final = fields['final']?.toString();
    const record = stateValue(fields, 'record');
    // While live, entries are packed every few (PACK_TIMELINE_AT): packed and unpacked ones
    // together may exceed the cap by those few.
    const cap = final === '1' ? Infinity : this.timelineCap;
    const keep = Math.min(wanted ?? Infinity, cap);
    const unpacked = [...listed, ...tailEntries(tail)];
    const entries =
      unpacked.length >= keep
        ? unpacked
        : [
            ...(record === null ? [] : unpackRecord(record).entries),
            ...unpackEntries(packed),
            ...unpacked,
          ];
    return (keep === Infinity ? entries : entries.slice(-keep)).map(decodeEntry);
  }

  async appendTimeline(
    conferenceSid: string,
    entries: TimelineEntry[],
    expectedVersion?: number,
  ): Promise<boolean> {
    if (entries.length === 0) return true;
    const { timeline, state } = this.keys.conference(conferenceSid);
    const stored = entries.map((entry) => packEntry(encodeEntry(entry)));
    const reply = await runScript(
      this.client,
      'appendTimeline',
      [timeline, state],
      [
        String(this.timelineCap),
        String(this.finalTtlS),
        expectedVersion === undefined ? '' : String(expectedVersion),
        String(this.finalTimelineCap),
        ...stored,
      ],
    );
    const length = Number(reply);
    if (length >= PACK_TIMELINE_AT) await this.#packTimeline(conferenceSid);
    else if (length >= 0) this.#appendedOutside(conferenceSid, stored, length);
    return length >= 0;
  }

  /** After entries were appended outside a commit: the version stays. */
  #appendedOutside(sid: string, entries: readonly string[], unpacked: number): void {
    const known = this.#timelines.latest(sid);
    this.#appended(sid, known, entries, unpacked, known?.version ?? 0);
  }

  async claimEffects(
    now: number,
    limit: number,
    leaseMs: number,
    only?: readonly number[],
  ): Promise<OutboxEffect[]> {
    if (limit <= 0) return [];
    const at = String(Math.floor(now));
    const leaseUntil = Math.floor(now + leaseMs);
    const start = this.claimFrom;
    this.claimFrom = (this.claimFrom + 1) % SHARD_COUNT;
    const order = Array.from({ length: SHARD_COUNT }, (_, i) => (start + i) % SHARD_COUNT).filter(
      (shard) => only === undefined || only.includes(shard),
    );
    if (order.length === 0) return [];
    // A cheap count first: a claim leases what it returns, so it never asks for more than
    // `limit` in all, and only shards with something due are asked.
    const left = await Promise.all(
      order.map((shard) => this.client.zcount(this.keys.shard(shard).outbox, '-inf', at)),
    );
    const claimed: OutboxEffect[] = [];
    const claimFrom = async (index: number, count: number) => {
      const shard = order[index];
      if (shard === undefined || count <= 0) return;
      const queues = this.keys.shard(shard);
      const reply = await runScript(
        this.client,
        'claimEffects',
        [queues.outbox, queues.effects, queues.attempts],
        [at, String(count), String(leaseUntil)],
      );
      const got = decodeClaims(reply, leaseUntil);
      claimed.push(...got);
      // Fewer than asked: another instance took the rest.
      left[index] = got.length < count ? 0 : Math.max(0, (left[index] ?? 0) - count);
    };
    // First a fair share of every shard with something due (each shard's most urgent first,
    // see headStartMs), so one busy shard's bookkeeping never fills the claim while another
    // shard's announcement waits; then whatever room is left, shard by shard.
    const busy = left.filter((n) => n > 0).length;
    const share = busy === 0 ? 0 : Math.ceil(limit / busy);
    let planned = 0;
    const shares = left.map((n) => {
      const count = Math.min(n, share, limit - planned);
      planned += count;
      return count;
    });
    // Distinct shards: their claims cannot meet, so they go out together.
    await Promise.all(shares.map((count, i) => claimFrom(i, count)));
    for (let i = 0; i < order.length && claimed.length < limit; i += 1) {
      await claimFrom(i, Math.min(left[i] ?? 0, limit - claimed.length));
    }
    return claimed;
  }

  async renewLease(
    conferenceSid: string,
    key: string,
    heldUntil: number,
    until: number,
  ): Promise<boolean> {
    const queues = this.keys.shard(shardOf(conferenceSid));
    const reply = await runScript(
      this.client,
      'renewLease',
      [queues.outbox],
      [member(conferenceSid, key), String(Math.floor(heldUntil)), String(Math.floor(until))],
    );
    return Number(reply) === 1;
  }

  async completeEffect(conferenceSid: string, key: string, entry: TimelineEntry): Promise<void> {
    const conference = this.keys.conference(conferenceSid);
    const queues = this.keys.shard(shardOf(conferenceSid));
    const stored = packEntry(encodeEntry(entry));
    const length = await runScript(
      this.client,
      'completeEffect',
      [
        queues.outbox,
        queues.effects,
        queues.attempts,
        conference.done,
        conference.timeline,
        conference.state,
      ],
      [
        member(conferenceSid, key),
        memberToken(key),
        stored,
        String(this.timelineCap),
        String(this.finalTtlS),
        String(this.finalTimelineCap),
      ],
    );
    if (Number(length) >= PACK_TIMELINE_AT) await this.#packTimeline(conferenceSid);
    else this.#appendedOutside(conferenceSid, [stored], Number(length));
  }

  async retryEffect(
    conferenceSid: string,
    key: string,
    dueAt: number,
    entry: TimelineEntry,
    mayHaveApplied = false,
  ): Promise<void> {
    const conference = this.keys.conference(conferenceSid);
    const queues = this.keys.shard(shardOf(conferenceSid));
    // Its reply does not say how long the tail is now.
    this.#timelines.delete(conferenceSid);
    await runScript(
      this.client,
      'retryEffect',
      [queues.outbox, queues.effects, conference.timeline, conference.state, queues.attempts],
      [
        member(conferenceSid, key),
        String(Math.floor(dueAt)),
        packEntry(encodeEntry(entry)),
        String(this.timelineCap),
        String(this.finalTtlS),
        String(this.finalTimelineCap),
        mayHaveApplied ? '1' : '0',
      ],
    );
  }

  async startEffect(
    conferenceSid: string,
    key: string,
    options: { mark: boolean },
  ): Promise<EffectStart> {
    const { done, state } = this.keys.conference(conferenceSid);
    const { attempts } = this.keys.shard(shardOf(conferenceSid));
    const reply = await runScript(
      this.client,
      'startEffect',
      [state, done, attempts],
      [memberToken(key), key, options.mark ? sentMark(conferenceSid, key) : ''],
    );
    const [isDone, markedBefore] = reply as [number, number];
    return { done: Number(isDone) === 1, mayHaveRunBefore: Number(markedBefore) === 1 };
  }

  async isEffectDone(conferenceSid: string, key: string): Promise<boolean> {
    const { done, state } = this.keys.conference(conferenceSid);
    const token = memberToken(key);
    // The state's 'done' field (lua/complete-effect.lua); a set of the layout before holds
    // tokens, or, written before tokens, the keys themselves.
    const [field, legacy] = await Promise.all([
      readStateField(this.client, state, 'done'),
      this.client.smismember(done, token, key),
    ]);
    if (field !== null && `,${field}`.includes(`,${token},`)) return true;
    return legacy.includes(1);
  }

  async dueTimers(now: number, limit: number): Promise<TimerEntry[]> {
    if (limit <= 0) return [];
    const replies = await Promise.all(
      shards.map((shard) => {
        const queues = this.keys.shard(shard);
        return runScript(
          this.client,
          'dueTimers',
          [queues.timers, queues.timerEvents],
          [String(Math.floor(now)), String(limit)],
        );
      }),
    );
    return replies
      .flatMap((reply) => decodeTimers(reply))
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit);
  }

  async dropTimer(conferenceSid: string, id: string): Promise<void> {
    const conference = this.keys.conference(conferenceSid);
    const queues = this.keys.shard(shardOf(conferenceSid));
    await runScript(
      this.client,
      'dropTimer',
      [queues.timers, queues.timerEvents, conference.timers],
      [member(conferenceSid, id), id],
    );
  }

  async nextDueAt(): Promise<number | null> {
    const firsts = await Promise.all(
      shards.flatMap((shard) => {
        const queues = this.keys.shard(shard);
        return [queues.outbox, queues.timers].map((key) =>
          this.client.zrange(key, 0, 0, 'WITHSCORES'),
        );
      }),
    );
    let next: number | null = null;
    for (const reply of firsts) {
      const score = firstScore(reply);
      if (score !== null && (next === null || score < next)) next = score;
    }
    return next;
  }

  conferenceForTask(taskSid: string): Promise<string | null> {
    return readIndex(this.client, this.keys, taskIndexName(taskSid), this.clock());
  }

  conferenceBridgedFrom(conferenceSid: string): Promise<string | null> {
    return readIndex(this.client, this.keys, bridgeIndexName(conferenceSid), this.clock());
  }

  conferenceForWorker(workerSid: string): Promise<string | null> {
    return readIndex(this.client, this.keys, workerIndexName(workerSid), this.clock());
  }

  noteRedialCallback(conferenceName: string, entry: string): Promise<string | null> {
    return noteRedialCallback(this.client, this.keys, {
      conferenceName,
      entry,
      ttlS: this.liveTtlS,
      now: this.clock(),
    });
  }

  redialCallbacks(conferenceName: string): Promise<string[]> {
    return redialCallbacks(this.client, this.keys, conferenceName);
  }

  listConferences(query: ConferenceQuery): Promise<ConferencePage> {
    return this.#listing.list(query);
  }

  /** Channel of this prefix's changes: deployments sharing a Redis do not hear each other. */
  get #changes(): string {
    return `${this.keys.prefix}:changes`;
  }

  /**
   * Changes go out one line each, the lines of one turn of the event loop in one PUBLISH:
   * under load a socket read completes many commits at once, and one PUBLISH a commit was a
   * third of a webhook's Redis commands.
   */
  publishChange(change: ChangeMessage): void {
    this.#outgoing.push(`${change.origin}|${change.conferenceSid}|${change.version}`);
    if (this.#outgoing.length === 1) setImmediate(() => this.#sendChanges());
  }

  #sendChanges(): void {
    if (this.#outgoing.length === 0) return;
    const message = this.#outgoing.join('\n');
    this.#outgoing = [];
    this.client.publish(this.#changes, message).catch(() => undefined);
  }

  watchChanges(onChange: (change: ChangeMessage) => void, onResync: () => void) {
    // A subscribed connection can do nothing else, so it is a connection of its own.
    const subscriber = this.client.duplicate();
    subscriber.on('error', () => undefined);
    let closed = false;
    let subscribed = false;
    subscriber.on('message', (_channel: string, message: string) => {
      for (const line of message.split('\n')) {
        const [origin, conferenceSid, version] = line.split('|');
        if (origin === undefined || conferenceSid === undefined) continue;
        onChange({ origin, conferenceSid, version: Number(version ?? 0) });
      }
    });
    // ioredis subscribes again after a reconnection; what was published meanwhile is lost.
    subscriber.on('ready', () => {
      if (subscribed) onResync();
    });
    const subscribe = () => {
      if (closed) return;
      subscriber.subscribe(this.#changes).then(
        () => {
          subscribed = true;
        },
        () => setTimeout(subscribe, 1_000).unref(),
      );
    };
    subscribe();
    return async () => {
      closed = true;
      subscriber.disconnect();
    };
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    // A lazy client that never connected has nothing to say goodbye to; quit() would
    // connect first just to disconnect.
    if (this.client.status === 'wait') {
      this.client.disconnect();
      return;
    }
    this.#sendChanges();
    await this.#listing.flush();
    await this.client.quit();
  }
}
