/**
 * Key layout of the Redis store. Every key of a conference and its shard's queues carry the
 * shard's hash tag (`{s07}`), so a Lua script can touch all of them in one Redis Cluster slot.
 * Index keys share the `{idx}` tag: they are routing hints written outside the commit script.
 */
import { SHARD_COUNT } from './types.ts';

/**
 * Sorted sets the listing's last commits are spread over: Redis keeps a sorted set of at
 * most 128 members (zset-max-listpack-entries) as a listpack, about 50 bytes a member where
 * one big set's skiplist cost about 145. 256 of them stay listpacks up to about 25,000
 * listed conferences; beyond, a fuller one becomes a skiplist, as big as the one set was.
 */
export const LISTING_BUCKETS = 256;

/**
 * Hashes the routing indexes (`task:WT…` → conference SID, routing-index.ts) are spread
 * over: one key each cost about 200 bytes with the keyspace's own entries, a field of a small
 * hash (a listpack up to 256 names) about 90. 1,024 of them stay listpacks up to about
 * 250,000 names.
 */
export const INDEX_BUCKETS = 1024;

export const DEFAULT_PREFIX = 'll';

/**
 * Separates the conference SID from an effect key or timer id in shard-queue members. SIDs
 * never contain it (checked by assertConferenceSid), so the first one splits a member safely.
 */
const MEMBER_SEPARATOR = '|';

/**
 * FNV-1a over the UTF-16 code units of the SID, then murmur3's finaliser: FNV's low bits
 * depend only on the low bits of each character, which would crowd hex SIDs into few shards.
 * It must never change: a different function would look for live conferences in the wrong shard.
 */
export function shardOf(conferenceSid: string): number {
  return hashOf(conferenceSid) % SHARD_COUNT;
}

/** The hash of shardOf, for other spreads of conferences (the listing's buckets). */
export function hashOf(conferenceSid: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < conferenceSid.length; i += 1) {
    hash ^= conferenceSid.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export function shardTag(shard: number): string {
  return `{s${String(shard).padStart(2, '0')}}`;
}

function assertPrefix(prefix: string): void {
  // A brace in the prefix would become the hash tag and put every key in one slot.
  if (prefix === '' || /[{}\s]/.test(prefix)) {
    throw new Error(`Invalid Redis key prefix ${JSON.stringify(prefix)}: no braces or spaces.`);
  }
}

function assertConferenceSid(sid: string): void {
  if (sid === '' || /[|{}\s]/.test(sid)) {
    throw new Error(`Invalid conference SID ${JSON.stringify(sid)}.`);
  }
}

interface ShardKeys {
  /** zset: `<sid>|<effectKey>` → due ms (or lease expiry once claimed). */
  outbox: string;
  /** hash: `<sid>|<effectKey>` → effect JSON (without attempts). */
  effects: string;
  /** hash: `<sid>|<effectKey>` → number of claims so far. */
  attempts: string;
  /** zset: `<sid>|<timerId>` → due ms. */
  timers: string;
  /** hash: `<sid>|<timerId>` → the timer's event JSON. */
  timerEvents: string;
}

interface ConferenceKeys {
  /**
   * hash: version, snapshot (snapshot-codec.ts, packed), final ('1' or '0'), timeline (the
   * oldest entries, packed), tail (the newest, unpacked), indexes (the index names pointing
   * here, until final), done (tokens of completed effect keys, tokens.ts), seen (seen tokens
   * of consumed delivery ids, until final: tokens.ts), record (a finished one's snapshot and
   * timeline), summary (the inspector's, summary-codec.ts). Values over 64 bytes are stored in pieces (`snapshot`,
   * `S1`, ...; `snapshot1`, ... as written before: state-fields.ts), so the hash stays a
   * listpack.
   */
  state: string;
  /** list of timeline entries (timeline-codec.ts), oldest first, capped. */
  timeline: string;
  /**
   * set of consumed delivery ids' tokens, as written before the state's 'seen' field: only
   * checked, and dropped by the final commit.
   */
  seen: string;
  /** set of completed effect keys' tokens, as written before the state's 'done' field. */
  done: string;
  /** set of this conference's pending timer ids, so a final commit can drop them all. */
  timers: string;
  /**
   * set of index names (`task:WT…`, `worker:WK…`) pointed at this conference, as written
   * before they became the state's 'indexes' field: read and dropped by the final commit.
   */
  indexes: string;
}

export interface ListingKeys {
  /**
   * zsets: conference SID → ms of its last commit, each conference in one of LISTING_BUCKETS
   * (listing.ts), so each stays small enough for a listpack.
   */
  buckets: string[];
  /** zset: conference SID → ms of its last commit, as written before the buckets. */
  updated: string;
  /** zset: conference SID → ms of its first commit, as written before summaries held it. */
  created: string;
  /**
   * hash: conference SID → summary with the first commit's time, as written before summaries
   * became a field of the conference's state (listing.ts): read until pruned.
   */
  summaries: string;
}

export class KeyLayout {
  constructor(readonly prefix: string = DEFAULT_PREFIX) {
    assertPrefix(prefix);
  }

  shard(shard: number): ShardKeys {
    const base = `${this.prefix}:${shardTag(shard)}`;
    return {
      outbox: `${base}:outbox`,
      effects: `${base}:effects`,
      attempts: `${base}:attempts`,
      timers: `${base}:timers`,
      timerEvents: `${base}:timer-events`,
    };
  }

  conference(conferenceSid: string): ConferenceKeys {
    assertConferenceSid(conferenceSid);
    const base = `${this.prefix}:${shardTag(shardOf(conferenceSid))}:c:${conferenceSid}`;
    return {
      state: `${base}:state`,
      timeline: `${base}:timeline`,
      seen: `${base}:seen`,
      done: `${base}:done`,
      timers: `${base}:timers`,
      indexes: `${base}:indexes`,
    };
  }

  /** The inspector's listing (listing.ts): in the {idx} slot, written after each commit. */
  listing(): ListingKeys {
    return {
      buckets: Array.from({ length: LISTING_BUCKETS }, (_, n) =>
        this.index(`listing:${n.toString(36)}`),
      ),
      updated: this.index('listing:updated'),
      created: this.index('listing:created'),
      summaries: this.index('listing:summaries'),
    };
  }

  /**
   * `name` is `task:<WT sid>`, `worker:<WK sid>`, ...: a string key of its own, as routing
   * indexes were written before their buckets (still read), and the re-dial logs.
   */
  index(name: string): string {
    return `${this.prefix}:{idx}:${name}`;
  }

  /** hash: index name → `<conference SID>|<expiry>` (routing-index.ts), in the {idx} slot. */
  indexBucket(name: string): string {
    return this.index(`ix:${(hashOf(name) % INDEX_BUCKETS).toString(36)}`);
  }
}

export function member(conferenceSid: string, id: string): string {
  return `${conferenceSid}${MEMBER_SEPARATOR}${id}`;
}

/**
 * The shard attempts hash's field marking that a request of an effect was sent and no answer
 * recorded since (complete-effect.lua and retry-effect.lua derive it from the member the same
 * way: `<member>|sent`).
 */
export function sentMark(conferenceSid: string, key: string): string {
  return `${member(conferenceSid, key)}${MEMBER_SEPARATOR}sent`;
}

/** Splits a shard-queue member at its first separator: [conferenceSid, effect key or timer id]. */
export function splitMember(value: string): [string, string] | null {
  const at = value.indexOf(MEMBER_SEPARATOR);
  if (at <= 0) return null;
  return [value.slice(0, at), value.slice(at + 1)];
}
