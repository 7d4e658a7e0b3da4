/**
 * The inspector's index of conferences: who is in which state, newest first. Two sorted sets
 * (by first and by last commit) and one hash of small summaries, all in the {idx} slot, so a
 * page of 10,000 conferences is a few commands rather than 10,000 snapshot reads.
 *
 * Like the task and worker indexes it is a hint written after the commit script: a crash in
 * between leaves a summary one step behind until the conference's next commit.
 */
import type { ListingKeys } from './keys.ts';
import type { RedisClient } from './scripts.ts';
import type {
  ConferencePage,
  ConferenceQuery,
  ConferenceSummary,
  ListedConference,
} from './types.ts';

/** Summaries read per HMGET while filtering: bounded replies on a big index. */
const CHUNK = 1_000;
/** Stale members checked per listing, so pruning never makes one request slow. */
const PRUNE_BATCH = 200;

export interface ListingOptions {
  client: RedisClient;
  keys: ListingKeys;
  /** The state hash of a conference: absent once its keys expired. */
  stateKey: (conferenceSid: string) => string;
  clock: () => number;
  finalTtlS: number;
}

function parseSummary(raw: string | null): ConferenceSummary | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as ConferenceSummary;
  } catch {
    return null;
  }
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

export class ConferenceListing {
  constructor(private readonly o: ListingOptions) {}

  /** `summary` null: the stored one still holds, only the last-update time moves. */
  async record(conferenceSid: string, summary: ConferenceSummary | null): Promise<void> {
    const at = String(Math.floor(this.o.clock()));
    const { client, keys } = this.o;
    if (summary === null) {
      await client.zadd(keys.updated, at, conferenceSid);
      return;
    }
    await Promise.all([
      client.zadd(keys.updated, at, conferenceSid),
      client.zadd(keys.created, 'NX', at, conferenceSid),
      client.hset(keys.summaries, conferenceSid, JSON.stringify(summary)),
    ]);
  }

  async list(query: ConferenceQuery): Promise<ConferencePage> {
    await this.#prune();
    const { client, keys } = this.o;
    const filtered =
      query.state !== undefined ||
      query.outcome !== undefined ||
      query.workerSid !== undefined ||
      query.final !== undefined;
    if (!filtered) {
      // No filter: page straight off the sorted set, reading only that page's summaries.
      const [total, reply] = await Promise.all([
        client.zcard(keys.updated),
        client.zrevrange(keys.updated, query.offset, query.offset + query.limit - 1, 'WITHSCORES'),
      ]);
      return { total, items: await this.#items(pairs(reply)) };
    }
    // Filtered: every summary is read once (chunks in parallel, so a few round trips in
    // all), and matched here; the summaries are small, so 10,000 of them are a few MB.
    const all = pairs(await client.zrevrange(keys.updated, 0, -1, 'WITHSCORES'));
    const chunks: [string, number][][] = [];
    for (let i = 0; i < all.length; i += CHUNK) chunks.push(all.slice(i, i + CHUNK));
    const replies = await Promise.all(
      chunks.map((chunk) => client.hmget(keys.summaries, ...chunk.map(([sid]) => sid))),
    );
    const matching: [string, number, ConferenceSummary][] = [];
    chunks.forEach((chunk, c) => {
      chunk.forEach(([sid, updatedAt], j) => {
        const summary = parseSummary(replies[c]?.[j] ?? null);
        if (summary !== null && matches(summary, query)) matching.push([sid, updatedAt, summary]);
      });
    });
    const page = matching.slice(query.offset, query.offset + query.limit);
    const created = await this.#created(page.map(([sid]) => sid));
    return {
      total: matching.length,
      items: page.map(([conferenceSid, updatedAt, summary], i) => ({
        conferenceSid,
        ...summary,
        updatedAt,
        createdAt: created[i] ?? updatedAt,
      })),
    };
  }

  async #items(page: [string, number][]): Promise<ListedConference[]> {
    if (page.length === 0) return [];
    const sids = page.map(([sid]) => sid);
    const [raws, created] = await Promise.all([
      this.o.client.hmget(this.o.keys.summaries, ...sids),
      this.#created(sids),
    ]);
    const items: ListedConference[] = [];
    page.forEach(([conferenceSid, updatedAt], i) => {
      const summary = parseSummary(raws[i] ?? null);
      if (summary === null) return;
      items.push({ conferenceSid, ...summary, updatedAt, createdAt: created[i] ?? updatedAt });
    });
    return items;
  }

  async #created(sids: string[]): Promise<(number | undefined)[]> {
    if (sids.length === 0) return [];
    const scores = await this.o.client.zmscore(this.o.keys.created, ...sids);
    return scores.map((score) => (score === null ? undefined : Number(score)));
  }

  /**
   * Drops conferences whose keys have expired (a final conference lives finalTtlS after its
   * last commit). Only members older than that can be gone, so only those are checked.
   */
  async #prune(): Promise<void> {
    const { client, keys } = this.o;
    const horizon = Math.floor(this.o.clock() - this.o.finalTtlS * 1000);
    const old = await client.zrangebyscore(keys.updated, '-inf', horizon, 'LIMIT', 0, PRUNE_BATCH);
    if (old.length === 0) return;
    const exists = await Promise.all(old.map((sid) => client.exists(this.o.stateKey(sid))));
    const gone = old.filter((_, i) => exists[i] === 0);
    if (gone.length === 0) return;
    await Promise.all([
      client.zrem(keys.updated, ...gone),
      client.zrem(keys.created, ...gone),
      client.hdel(keys.summaries, ...gone),
    ]);
  }
}
