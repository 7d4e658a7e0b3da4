/**
 * The inspector's index of conferences: who is in which state, newest first. A sorted set (by
 * last commit) and a hash of small summaries, each with the time of the conference's first
 * commit, all in the {idx} slot, so a page of 10,000 conferences is a few commands rather than
 * 10,000 snapshot reads. A summary is a positional JSON array (see encodeSummary): about 120
 * bytes where an object was 190, and a sorted set of first commits cost 150 more each.
 * Summaries written before (an object, with the first commit in the created sorted set)
 * are read as well, and rewritten in the new form by the conference's next summary.
 *
 * Like the task and worker indexes it is a hint written after the commit script: a crash in
 * between leaves a summary one step behind until the conference's next commit.
 */
import type { ListingKeys } from './keys.ts';
import { runScript } from './scripts.ts';
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

interface StoredSummary {
  summary: ConferenceSummary;
  /** The first commit's time, when the summary holds it (the created zset has it otherwise). */
  createdAt: number | undefined;
}

/**
 * `,state,final,outcome,workerSid,taskSid,recoveryStartedAt]`: record-summary.lua puts
 * `[createdMs` in front. final is 1 or 0.
 */
function encodeSummary(summary: ConferenceSummary): string {
  const row = [
    summary.state,
    summary.final ? 1 : 0,
    summary.outcome,
    summary.workerSid,
    summary.taskSid,
    summary.recoveryStartedAt,
  ];
  return `,${JSON.stringify(row).slice(1)}`;
}

const orNull = <T>(value: unknown, type: 'string' | 'number'): T | null =>
  typeof value === type ? (value as T) : null;

function parseSummary(raw: string | null): StoredSummary | null {
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed))
      return { summary: parsed as ConferenceSummary, createdAt: undefined };
    const [createdAt, state, final, outcome, workerSid, taskSid, recoveryStartedAt] =
      parsed as unknown[];
    return {
      summary: {
        state: String(state),
        final: final === 1,
        outcome: orNull(outcome, 'string'),
        workerSid: orNull(workerSid, 'string'),
        taskSid: orNull(taskSid, 'string'),
        recoveryStartedAt: orNull(recoveryStartedAt, 'number'),
      },
      createdAt: typeof createdAt === 'number' ? createdAt : undefined,
    };
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
    await runScript(
      client,
      'recordSummary',
      [keys.updated, keys.summaries, keys.created],
      [conferenceSid, at, summary === null ? '' : encodeSummary(summary)],
    );
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
    const matching: [string, number, StoredSummary][] = [];
    chunks.forEach((chunk, c) => {
      chunk.forEach(([sid, updatedAt], j) => {
        const stored = parseSummary(replies[c]?.[j] ?? null);
        if (stored !== null && matches(stored.summary, query)) {
          matching.push([sid, updatedAt, stored]);
        }
      });
    });
    const page = matching.slice(query.offset, query.offset + query.limit);
    return { total: matching.length, items: await this.#listed(page) };
  }

  async #items(page: [string, number][]): Promise<ListedConference[]> {
    if (page.length === 0) return [];
    const raws = await this.o.client.hmget(this.o.keys.summaries, ...page.map(([sid]) => sid));
    const found: [string, number, StoredSummary][] = [];
    page.forEach(([sid, updatedAt], i) => {
      const stored = parseSummary(raws[i] ?? null);
      if (stored !== null) found.push([sid, updatedAt, stored]);
    });
    return this.#listed(found);
  }

  /** The page's items; summaries written before hold no first-commit time: the zset does. */
  async #listed(page: [string, number, StoredSummary][]): Promise<ListedConference[]> {
    const older = page.filter(([, , stored]) => stored.createdAt === undefined);
    const scores =
      older.length === 0
        ? []
        : await this.o.client.zmscore(this.o.keys.created, ...older.map(([sid]) => sid));
    const created = new Map(older.map(([sid], i) => [sid, scores[i] ?? null]));
    return page.map(([conferenceSid, updatedAt, { summary, createdAt }]) => {
      const score = created.get(conferenceSid);
      return {
        conferenceSid,
        ...summary,
        updatedAt,
        createdAt: createdAt ?? (score == null ? updatedAt : Number(score)),
      };
    });
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
