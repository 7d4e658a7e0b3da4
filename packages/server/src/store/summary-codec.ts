/**
 * The inspector's summary of a conference as stored: the state hash's 'summary' field
 * (lua/commit.lua), the time of the conference's first commit in front. Compact when it can
 * be (encodeSummary): 61 bytes, one piece of the state hash (state-fields.ts), where the
 * positional JSON array, still written for what the compact form cannot say, is about 110
 * (two pieces) and the object written before was 190. Summaries of the layout before (an
 * array or object, in the state or in the listing's summaries hash, its first commit then
 * in the created sorted set) are read as well.
 */
import type { ConferenceSummary } from './types.ts';

export interface StoredSummary {
  summary: ConferenceSummary;
  /** The first commit's time, when the summary holds it (the created zset has it otherwise). */
  createdAt: number | undefined;
}

/**
 * Codes of the compact form: a character's place in DIGITS is the name's place here. Only
 * ever append: stored summaries hold the places. A name missing here is written as JSON.
 */
const STATES = [
  'connected',
  'disconnected',
  'escalated',
  'locating',
  'pinging',
  'reconnecting',
  'redialing',
  'abandoned',
  'conferenceEnded',
  'customerLeft',
  'graceful',
  'handledByAnotherAgent',
  'recovered',
  'untracked',
  'unknown',
];
const OUTCOMES = [
  'recovered',
  'graceful',
  'customer-hung-up',
  'abandoned',
  'conference-ended',
  'handled-by-another-agent',
  'not-a-task',
];
/** No comma (the mark of the JSON form) and nothing a UTF-8 continuation byte. */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
/** Twilio's SIDs: two letters and 32 hex digits, kept in 22 base64url characters. */
const HEX_SID = /^[0-9a-f]{32}$/;
/** Characters of a time in ms in DIGITS: enough until 2109. */
const TIME_WIDTH = 7;

function shortSid(sid: string | null, prefix: string): string | null {
  if (sid === null || !sid.startsWith(prefix) || !HEX_SID.test(sid.slice(2))) return null;
  return Buffer.from(sid.slice(2), 'hex').toString('base64url');
}

function digits(value: number, width: number): string | null {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 64 ** width) return null;
  let out = '';
  for (let rest = value, i = 0; i < width; i += 1, rest = Math.floor(rest / 64)) {
    out = (DIGITS[rest % 64] ?? '0') + out;
  }
  return out;
}

/**
 * `~` and then: state, final (0 or 1) and outcome (`-` for none) as one character each, the
 * worker and task SIDs in 22 characters each, and the recovery's start in 7, when there is
 * one. commit.lua puts the created ms in front. Null when the summary holds what it cannot
 * say: the JSON form.
 */
function compactSummary(summary: ConferenceSummary): string | null {
  const state = STATES.indexOf(summary.state);
  const outcome = summary.outcome === null ? -1 : OUTCOMES.indexOf(summary.outcome);
  const worker = shortSid(summary.workerSid, 'WK');
  const task = shortSid(summary.taskSid, 'WT');
  const started =
    summary.recoveryStartedAt === null ? '' : digits(summary.recoveryStartedAt, TIME_WIDTH);
  if (state < 0 || (summary.outcome !== null && outcome < 0)) return null;
  if (worker === null || task === null || started === null) return null;
  const codes = `${DIGITS[state] ?? ''}${summary.final ? 1 : 0}${outcome < 0 ? '-' : (DIGITS[outcome] ?? '')}`;
  return `~${codes}${worker}${task}${started}`;
}

const COMPACT = /^(\d+)~(.)([01])(.)([\w-]{22})([\w-]{22})([\w-]{7})?$/;

function parseCompact(raw: string): StoredSummary | null {
  const match = COMPACT.exec(raw);
  if (match === null) return null;
  const [, created = '', state = '', final, outcome = '', worker = '', task = '', started] = match;
  const name = STATES[DIGITS.indexOf(state)];
  const ended = outcome === '-' ? null : OUTCOMES[DIGITS.indexOf(outcome)];
  if (name === undefined || ended === undefined) return null;
  let startedAt: number | null = null;
  if (started !== undefined) {
    startedAt = 0;
    for (const c of started) startedAt = startedAt * 64 + DIGITS.indexOf(c);
  }
  return {
    summary: {
      state: name,
      final: final === '1',
      outcome: ended,
      workerSid: `WK${Buffer.from(worker, 'base64url').toString('hex')}`,
      taskSid: `WT${Buffer.from(task, 'base64url').toString('hex')}`,
      recoveryStartedAt: startedAt,
    },
    createdAt: Number(created),
  };
}

/**
 * The summary without its created time, which commit.lua puts in front: the compact form,
 * else `,state,final,outcome,workerSid,taskSid,recoveryStartedAt]` (a JSON array once
 * `[createdMs` is in front; final is 1 or 0).
 */
export function encodeSummary(summary: ConferenceSummary): string {
  const compact = compactSummary(summary);
  if (compact !== null) return compact;
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

export function parseSummary(raw: string | null | undefined): StoredSummary | null {
  if (raw == null) return null;
  if (/^\d/.test(raw)) return parseCompact(raw);
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
