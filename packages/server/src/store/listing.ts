/**
 * The inspector's index of conferences: who is in which state, newest first. Sorted sets by
 * last commit in the {idx} slot, written after each commit, each conference in one of
 * LISTING_BUCKETS (keys.ts: small sets are listpacks, a third of one big set's bytes), and
 * each conference's summary in its own state hash (summary-codec.ts, written by the commit
 * script): a hash of summaries beside the sorted set cost about 260 bytes a conference, a
 * field of the state about 120, and it expires with the conference. Every listing reads all
 * buckets (one pipelined read of about 50 bytes a conference) and orders them here; an
 * unfiltered page then reads its own summaries, a filtered one every conference's once
 * (pipelined: one command per conference).
 *
 * The layout before kept the summaries in a hash of the {idx} slot (and, before that, the
 * first commits in a created sorted set): read for a conference whose state holds none yet,
 * and for its first commit time, until the conference is pruned.
 *
 * The sorted set is a hint written after the commit script: a crash in between leaves a
 * conference's last-update time behind until its next commit. A commit that changed only
 * that time writes it within a second, with others (touch).
 */
import { hashOf } from './keys.ts';
import type { ListingKeys } from './keys.ts';
import type { RedisClient } from './scripts.ts';
import { readStateField, stateField } from './state-fields.ts';
import type { StateFields } from './state-fields.ts';
import { parseSummary } from './summary-codec.ts';
import type { StoredSummary } from './summary-codec.ts';
import type {
  ConferencePage,
  ConferenceQuery,
  ConferenceSummary,
  ListedConference,
} from './types.ts';

/** Conferences whose summaries are read at once while filtering: bounded bursts. */
const CHUNK = 1_000;
/** Stale members checked per listing, so pruning never makes one request slow. */
const PRUNE_BATCH = 200;
/**
 * Pieces of the state's 'summary' field read in one HMGET (state-fields.ts: 64 bytes each; a
 * summary is about 110): a longer one is read whole.
 */
const PIECES = ['summary', 'summary1', 'summary2', 'summary3'];

export interface ListingOptions {
  client: RedisClient;
  keys: ListingKeys;
  /** The state hash of a conference: absent once its keys expired. */
  stateKey: (conferenceSid: string) => string;
  clock: () => number;
  finalTtlS: number;
}

function matches(summary: ConferenceSummary, query: ConferenceQuery): boolean {
  if (query.state !== undefined && summary.state !== query.state) return false;
  if (query.outcome !== undefined) {
    const outcome = summary.outcome ?? 'none';
    if (outcome !== query.outcome) return false;
  }
  if (query.workerSid !== undefined && summary.workerSid !== query.workerSid) return false;
  if (query.final !== undefined && summary.final !== query.final) return false;
  return true;
}

function pairs(reply: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) out.push([reply[i] ?? '', Number(reply[i + 1])]);
  return out;
}

/** How long the update time of a commit that left its summary as it was may wait (touch). */
export const TOUCH_FLUSH_MS = 1_000;

export class ConferenceListing {
  /** Update times waiting for the next flush, by conference. */
  readonly #pending = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: ListingOptions) {}

  /** After a commit with a new summary (the commit script stored it): its last-update time. */
  async record(conferenceSid: string): Promise<void> {
    this.#pending.delete(conferenceSid);
    await this.o.client.zadd(
      this.#bucket(conferenceSid),
      Math.floor(this.o.clock()),
      conferenceSid,
    );
  }

  /**
   * After a commit that left the summary as it was: only the update time moves, and it only
   * orders the list. Such times wait up to TOUCH_FLUSH_MS and go out together, one ZADD a
   * bucket: under load an instance commits the same conferences many times a second, and one
   * ZADD a commit was a third of a webhook's Redis commands. This instance's listings write
   * them first; other instances see them up to that much later, and a crash loses at most
   * that second of update times (the conference stays listed: its first commit was written).
   */
  touch(conferenceSid: string): void {
    this.#pending.set(conferenceSid, Math.floor(this.o.clock()));
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => void this.flush(), TOUCH_FLUSH_MS);
    this.#timer.unref();
  }

  /** Writes the waiting update times (touch); a failure loses only those. */
  async flush(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.size === 0) return;
    const byBucket = new Map<string, (string | number)[]>();
    for (const [sid, at] of this.#pending) {
      const bucket = this.#bucket(sid);
      const members = byBucket.get(bucket) ?? [];
      members.push(at, sid);
      byBucket.set(bucket, members);
    }
    this.#pending.clear();
    await Promise.all(
      [...byBucket].map(([bucket, members]) =>
        this.o.client.zadd(bucket, ...members).catch(() => undefined),
      ),
    );
  }

  #bucket(conferenceSid: string): string {
    const { buckets } = this.o.keys;
    return buckets[hashOf(conferenceSid) % buckets.length] ?? this.o.keys.updated;
  }

  /**
   * Every listed conference with its last commit, newest first (as ZREVRANGE orders them):
   * the buckets and the one sorted set of the layout before, the later time of the two.
   */
  async #all(): Promise<[string, number][]> {
    const { client, keys } = this.o;
    const replies = await Promise.all(
      [keys.updated, ...keys.buckets].map((key) => client.zrange(key, 0, -1, 'WITHSCORES')),
    );
    const latest = new Map<string, number>();
    for (const reply of replies) {
      for (const [sid, at] of pairs(reply)) latest.set(sid, Math.max(at, latest.get(sid) ?? at));
    }
    return [...latest].sort(([a, x], [b, y]) => y - x || (a < b ? 1 : a > b ? -1 : 0));
  }

  async list(query: ConferenceQuery): Promise<ConferencePage> {
    await this.flush();
    const all = await this.#prune(await this.#all());
    const filtered =
      query.state !== undefined ||
      query.outcome !== undefined ||
      query.workerSid !== undefined ||
      query.final !== undefined;
    if (!filtered) {
      // No filter: only the page's summaries are read.
      const page = all.slice(query.offset, query.offset + query.limit);
      const stored = await this.#summaries(page.map(([sid]) => sid));
      return { total: all.length, items: this.#listed(page, stored) };
    }
    // Filtered: every summary is read once (chunks in parallel, each pipelined) and matched
    // here; they are small, so 10,000 of them are a few MB.
    const chunks: [string, number][][] = [];
    for (let i = 0; i < all.length; i += CHUNK) chunks.push(all.slice(i, i + CHUNK));
    const stored = await Promise.all(
      chunks.map((chunk) => this.#summaries(chunk.map(([sid]) => sid))),
    );
    const matching: [string, number][] = [];
    const found: StoredSummary[] = [];
    chunks.forEach((chunk, c) => {
      chunk.forEach((item, j) => {
        const one = stored[c]?.[j] ?? null;
        if (one !== null && matches(one.summary, query)) {
          matching.push(item);
          found.push(one);
        }
      });
    });
    const from = query.offset;
    const to = query.offset + query.limit;
    return {
      total: matching.length,
      items: this.#listed(matching.slice(from, to), found.slice(from, to)),
    };
  }

  /**
   * The stored summaries of these conferences, in order: each one's state field, else the
   * summaries hash of the layout before; its first commit the earliest either knows of (a
   * conference live across the deploy started before its state's summary).
   */
  async #summaries(sids: string[]): Promise<(StoredSummary | null)[]> {
    if (sids.length === 0) return [];
    const { client, stateKey } = this.o;
    const [replies, legacy] = await Promise.all([
      Promise.all(sids.map((sid) => client.hmget(stateKey(sid), ...PIECES))),
      this.#legacy(sids),
    ]);
    return Promise.all(
      sids.map(async (sid, i) => {
        const pieces = replies[i] ?? [];
        const fields: StateFields = {};
        PIECES.forEach((name, p) => {
          const value = pieces[p];
          if (value != null) fields[name] = value;
        });
        const whole =
          pieces.at(-1) == null
            ? stateField(fields, 'summary')
            : await readStateField(client, stateKey(sid), 'summary');
        const own = parseSummary(whole);
        const old = legacy[i] ?? null;
        if (own === null) return old;
        if (old?.createdAt === undefined || own.createdAt === undefined) return own;
        return { ...own, createdAt: Math.min(own.createdAt, old.createdAt) };
      }),
    );
  }

  /** Summaries of the layout before, with their first commit times; none once it is gone. */
  async #legacy(sids: string[]): Promise<(StoredSummary | null)[]> {
    const { client, keys } = this.o;
    const [summaries, created] = await Promise.all([
      client.exists(keys.summaries),
      client.exists(keys.created),
    ]);
    if (summaries === 0) return [];
    const [raws, scores] = await Promise.all([
      client.hmget(keys.summaries, ...sids),
      created === 0 ? Promise.resolve([]) : client.zmscore(keys.created, ...sids),
    ]);
    return raws.map((raw, i) => {
      const stored = parseSummary(raw);
      if (stored === null || stored.createdAt !== undefined) return stored;
      const score = scores[i];
      return { ...stored, createdAt: score == null ? undefined : Number(score) };
    });
  }

  #listed(page: [string, number][], stored: (StoredSummary | null)[]): ListedConference[] {
    return page.flatMap(([conferenceSid, updatedAt], i) => {
      const one = stored[i];
      if (one == null) return [];
      return [{ conferenceSid, ...one.summary, updatedAt, createdAt: one.createdAt ?? updatedAt }];
    });
  }

  /**
   * Drops conferences whose keys have expired (a final conference lives finalTtlS after its
   * last commit), and returns the others. Only members older than that can be gone, so only
   * the oldest of those are checked.
   */
  async #prune(all: [string, number][]): Promise<[string, number][]> {
    const { client, keys } = this.o;
    const horizon = Math.floor(this.o.clock() - this.o.finalTtlS * 1000);
    const old: string[] = [];
    for (let i = all.length - 1; i >= 0 && old.length < PRUNE_BATCH; i -= 1) {
      const [sid, at] = all[i] ?? ['', Infinity];
      if (at > horizon) break;
      old.push(sid);
    }
    if (old.length === 0) return all;
    const exists = await Promise.all(old.map((sid) => client.exists(this.o.stateKey(sid))));
    const gone = old.filter((_, i) => exists[i] === 0);
    if (gone.length === 0) return all;
    await Promise.all([
      ...gone.map((sid) => client.zrem(this.#bucket(sid), sid)),
      client.zrem(keys.updated, ...gone),
      client.zrem(keys.created, ...gone),
      client.hdel(keys.summaries, ...gone),
    ]);
    const dropped = new Set(gone);
    return all.filter(([sid]) => !dropped.has(sid));
  }
}
