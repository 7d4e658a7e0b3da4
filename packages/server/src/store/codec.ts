/**
 * Encoding of store values to Redis strings and decoding of script replies. JSON is built
 * and parsed here only: the scripts treat it as opaque (ioredis-mock's Lua has no cjson).
 */
import { splitMember } from './keys.ts';
import { packAs } from './packing.ts';
import type { Packed } from './packing.ts';
import { encodeSummary } from './summary-codec.ts';
import { encodeSnapshot } from './snapshot-codec.ts';
import { memberToken, SEEN_TOKEN_LENGTH, seenToken } from './tokens.ts';
// The store orders its outbox by the runner's urgency (one table for both, in effects/).
import { headStartMs } from '../effects/urgency.ts';
import type { CommitRequest, CommitResult, OutboxEffect, TimerEntry } from './types.ts';

/** Return codes of commit.lua below zero, mapped to CommitResult reasons. */
const CommitFailure = {
  [-1]: 'conflict',
  [-2]: 'duplicate',
  [-3]: 'timer-gone',
  [-4]: 'exists',
} as const satisfies Record<number, Extract<CommitResult, { ok: false }>['reason']>;

class StoreReplyError extends Error {
  constructor(script: string, reply: unknown) {
    // The reply itself stays out of the message: it may carry snapshot data.
    super(`Unexpected reply from the ${script} script (${describe(reply)}).`);
    this.name = 'StoreReplyError';
  }
}

function describe(reply: unknown): string {
  return Array.isArray(reply) ? `array of ${reply.length}` : typeof reply;
}

function toInt(value: unknown, script: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new StoreReplyError(script, value);
  return n;
}

function toStr(value: unknown, script: string): string {
  if (typeof value !== 'string') throw new StoreReplyError(script, value);
  return value;
}

function toArray(reply: unknown, script: string): unknown[] {
  if (!Array.isArray(reply)) throw new StoreReplyError(script, reply);
  return reply as unknown[];
}

export function json(value: unknown): string {
  const text = JSON.stringify(value);
  // undefined, functions and symbols serialise to nothing: the store would lose the value.
  if (text === undefined) throw new TypeError('The store only keeps JSON-serialisable values.');
  return text;
}

/** A timeline packed for a commit to write (commit.lua ARGV[20..22]). */
export interface PackedTimeline {
  /** The 'timeline' field's entries, the tail's, then the commit's, packed. */
  value: Packed;
  /** The 'timeline' field it was packed from, as stored ('' when absent). */
  timeline: Packed;
  /** The 'tail' field it was packed from, as stored ('' when absent). */
  tail: string;
}

/**
 * The ARGV of commit.lua (see its header). `entries` are the request's timeline entries as
 * the tail keeps them (each encoded, and packed or not: packing.ts packEntry).
 */
export function commitArgs(
  request: CommitRequest,
  fixed: {
    finalTtlS: number;
    liveTtlS: number;
    timelineCap: number;
    finalTimelineCap: number;
    seenCap: number;
    now: number;
    /** Packed values as raw bytes (a real Redis: packing.ts). */
    binary: boolean;
  },
  indexNames: string[],
  entries: readonly string[],
  packed?: PackedTimeline,
): (string | Buffer)[] {
  const args: (string | Buffer)[] = [
    request.conferenceSid,
    String(request.expectedVersion),
    // Compressed at every commit: its SIDs and field names are mostly in the dictionary, and
    // a live conference's Redis bytes are bounded (about 190 bytes for 700, 250 in base64).
    packAs(encodeSnapshot(request.snapshot), fixed.binary),
    request.final ? '1' : '0',
    String(fixed.finalTtlS),
    String(fixed.timelineCap),
    request.firesTimer ?? '',
    String(request.timeline.length),
    String(request.effects.length),
    String(request.schedule.length),
    String(request.cancel.length),
    String(request.dedupeIds.length),
    String(indexNames.length),
    String(fixed.liveTtlS),
    String(fixed.finalTimelineCap),
    String(fixed.seenCap),
    String(SEEN_TOKEN_LENGTH),
    request.summary === undefined || request.summary === 'unchanged'
      ? ''
      : encodeSummary(request.summary),
    String(Math.floor(fixed.now)),
    packed?.value ?? '',
    packed?.timeline ?? '',
    packed?.tail ?? '',
    ...entries,
  ];
  // Effects of one commit are due 1 ms apart, in the machine's order, so claims (which take
  // the lowest scores first) see them in that order. The last is due now and the others just
  // before: every one of them must be claimable by a claim at the commit's own time. The more
  // urgent an effect, the earlier it is due (headStartMs): after a mass disconnect the
  // customers' announcements are claimed before bookkeeping committed before them.
  const last = request.effects.length - 1;
  request.effects.forEach((effect, i) => {
    const body = { key: effect.key, conferenceSid: request.conferenceSid, type: effect.type };
    args.push(
      effect.key,
      memberToken(effect.key),
      String(Math.floor(fixed.now) - (last - i) - headStartMs(effect.type)),
      json({ ...body, params: effect.params }),
    );
  });
  for (const timer of request.schedule) {
    args.push(timer.id, String(Math.round(timer.dueAt)), json(timer.event));
  }
  args.push(...request.cancel);
  for (const id of request.dedupeIds) args.push(id, memberToken(id), seenToken(id));
  args.push(...indexNames);
  return args;
}

export interface DecodedCommit {
  result: CommitResult;
  /** Entries in the timeline list after the commit (0 when it failed). */
  timelineLength: number;
  /** Whether the commit wrote the timeline packed for it (commitArgs `packed`). */
  packed: boolean;
  indexNames: string[];
}

export function decodeCommit(reply: unknown): DecodedCommit {
  const [code, ...rest] = toArray(reply, 'commit');
  const n = toInt(code, 'commit');
  if (n > 0) {
    const [length, packed, ...names] = rest;
    return {
      result: { ok: true, version: n },
      timelineLength: toInt(length, 'commit'),
      packed: toInt(packed, 'commit') === 1,
      indexNames: names.map((name) => toStr(name, 'commit')),
    };
  }
  const reason = CommitFailure[n as keyof typeof CommitFailure] as
    (typeof CommitFailure)[keyof typeof CommitFailure] | undefined;
  if (reason === undefined) throw new StoreReplyError('commit', reply);
  return {
    result: { ok: false, reason, version: toInt(rest[0], 'commit') },
    timelineLength: 0,
    packed: false,
    indexNames: [],
  };
}

interface StoredEffect {
  key: string;
  conferenceSid: string;
  type: string;
  params: unknown;
}

function isStoredEffect(value: unknown): value is StoredEffect {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['key'] === 'string' &&
    typeof v['conferenceSid'] === 'string' &&
    typeof v['type'] === 'string'
  );
}

/** claim-effects.lua replies {effectJSON, claims, ...}; attempts counts the claims before. */
export function decodeClaims(reply: unknown, leaseUntil: number): OutboxEffect[] {
  const flat = toArray(reply, 'claimEffects');
  const effects: OutboxEffect[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const body: unknown = JSON.parse(toStr(flat[i], 'claimEffects'));
    if (!isStoredEffect(body)) throw new StoreReplyError('claimEffects', body);
    const claims = toInt(flat[i + 1], 'claimEffects');
    effects.push({
      key: body.key,
      conferenceSid: body.conferenceSid,
      type: body.type,
      params: body.params,
      attempts: claims - 1,
      leaseUntil,
    });
  }
  return effects;
}

/** due-timers.lua replies {member, dueMs, eventJSON, ...}; entries without an event are skipped. */
export function decodeTimers(reply: unknown): TimerEntry[] {
  const flat = toArray(reply, 'dueTimers');
  const timers: TimerEntry[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    const parts = splitMember(toStr(flat[i], 'dueTimers'));
    const eventJson = toStr(flat[i + 2], 'dueTimers');
    if (parts === null || eventJson === '') continue;
    const event: unknown = JSON.parse(eventJson);
    if (typeof event !== 'object' || event === null || !('type' in event)) continue;
    if (typeof event.type !== 'string') continue;
    timers.push({
      conferenceSid: parts[0],
      id: parts[1],
      event: { type: event.type },
      dueAt: toInt(flat[i + 1], 'dueTimers'),
    });
  }
  return timers;
}

/** The first score of a `ZRANGE key 0 0 WITHSCORES` reply, or null when empty. */
export function firstScore(reply: string[]): number | null {
  const score = reply[1];
  return score === undefined ? null : Number(score);
}
