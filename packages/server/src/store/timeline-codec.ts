/**
 * Timeline entries as Redis keeps them: a positional JSON array instead of an object, with
 * short names for the fields, event names and values the engine and the runner write on every
 * entry. An entry of a conference callback drops from about 300 bytes to about 150 (a third
 * of what is left is its call SID).
 *
 *   [at, kind, name, state, detail]   kind: 0 event, 1 effect, 2 effect-result, 3 note
 *                                     name: its index in NAMES, or the name itself
 *                                     state: null when absent; detail: left out when absent
 *
 * A detail object's keys are shortened through DETAIL_KEYS; `source` and `outcome` values
 * the engine writes become numbers (their index in VALUE_CODES), and an event's own `at`
 * becomes `A`, its distance from the entry's. A key that is itself a short name, or starts
 * with '~', is kept behind a '~', as is `source` or `outcome` holding anything but a known
 * string, so any JSON detail round-trips.
 *
 * Entries written before this encoding (a JSON object) still decode: readers accept both.
 */
import type { TimelineEntry } from './types.ts';

const KINDS = ['event', 'effect', 'effect-result', 'note'] as const;

/**
 * Event and effect names written as their index. Append only: stored entries refer to these
 * positions, so a renamed or new name goes at the end (an unknown one is written as is).
 */
const NAMES: readonly string[] = [
  'participant.updated',
  'participant.joined',
  'participant.left',
  'conference.started',
  'conference.ended',
  'conference.discovered',
  'conference.noted',
  'agent.registered',
  'agent.pageUnloaded',
  'agent.hungUp',
  'agent.transferred',
  'customer.dequeued',
  'task.created',
  'task.canceled',
  'task.completed',
  'task.queueEntered',
  'reservation.accepted',
  'reservation.rejected',
  'reservation.timeout',
  'effect.callLookedUp',
  'effect.callLookupFailed',
  'effect.customerCallGone',
  'effect.partyMoveFailed',
  'effect.partyMoved',
  'effect.pingTaskCreated',
  'lookupCall',
  'announceHold',
  'holdCustomer',
  'keepInConference',
  'tagTask',
  'createPingTask',
  'completeTask',
  'cancelTask',
  'retargetTask',
  'enqueueCustomer',
  'completeReservation',
  'moveParticipant',
  'endConference',
];
const NAME_INDEX = new Map(NAMES.map((name, index) => [name, index]));

/** Frequent detail fields and their short names. Never reorder or reuse a name. */
const DETAIL_KEYS: Record<string, string> = {
  source: 's',
  outcome: 'o',
  note: 'n',
  at: 'a',
  seq: 'q',
  callSid: 'c',
  label: 'l',
  endConferenceOnExit: 'x',
  hold: 'h',
  muted: 'u',
  coaching: 'g',
  change: 'v',
  reason: 'w',
  key: 'k',
  attempt: 't',
  result: 'r',
  latencyMs: 'm',
  workerSid: 'W',
  taskSid: 'T',
  reservationSid: 'R',
  friendlyName: 'f',
};
const LONG_KEYS = new Map(Object.entries(DETAIL_KEYS).map(([long, short]) => [short, long]));
/** The short name of `at` written as its distance from the entry's own time. */
const AT_DELTA = 'A';
LONG_KEYS.set(AT_DELTA, 'at');

/** Values written as their index. Append only: stored entries refer to these positions. */
const VALUE_CODES: Record<string, readonly string[]> = {
  source: ['conference-status', 'event-streams', 'api', 'timer', 'effect'],
  outcome: ['applied', 'ignored'],
};

const ESCAPE = '~';

function encodeField(key: string, value: unknown, at: number): [string, unknown] {
  if (key === 'at' && typeof value === 'number' && Number.isSafeInteger(value)) {
    return [AT_DELTA, at - value];
  }
  const codes = VALUE_CODES[key];
  if (codes !== undefined) {
    const index = typeof value === 'string' ? codes.indexOf(value) : -1;
    if (index >= 0) return [DETAIL_KEYS[key] ?? key, index];
    if (typeof value !== 'string') return [`${ESCAPE}${key}`, value];
  }
  const short = DETAIL_KEYS[key];
  if (short !== undefined) return [short, value];
  if (LONG_KEYS.has(key) || key.startsWith(ESCAPE)) return [`${ESCAPE}${key}`, value];
  return [key, value];
}

function decodeField(key: string, value: unknown, at: number): [string, unknown] {
  if (key.startsWith(ESCAPE)) return [key.slice(ESCAPE.length), value];
  if (key === AT_DELTA && typeof value === 'number') return ['at', at - value];
  const long = LONG_KEYS.get(key);
  if (long === undefined) return [key, value];
  const codes = VALUE_CODES[long];
  if (codes !== undefined && typeof value === 'number') return [long, codes[value] ?? value];
  return [long, value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapRecord(
  record: Record<string, unknown>,
  field: (key: string, value: unknown, at: number) => [string, unknown],
  at: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    // undefined is dropped by JSON anyway; skipping it keeps the two forms equal.
    if (value === undefined) continue;
    const [name, coded] = field(key, value, at);
    out[name] = coded;
  }
  return out;
}

export function encodeEntry(entry: TimelineEntry): string {
  const kind = KINDS.indexOf(entry.kind);
  const row: unknown[] = [
    entry.at,
    kind < 0 ? entry.kind : kind,
    NAME_INDEX.get(entry.name) ?? entry.name,
    entry.state ?? null,
  ];
  if (entry.detail !== undefined) {
    // An array marks an encoded detail object, so a detail that is itself an array is nested.
    row.push(
      isRecord(entry.detail)
        ? mapRecord(entry.detail, encodeField, entry.at)
        : Array.isArray(entry.detail)
          ? [entry.detail]
          : entry.detail,
    );
  }
  return JSON.stringify(row);
}

function decodeRow(row: unknown[]): TimelineEntry {
  const [at, kind, name, state, detail] = row;
  const entry: TimelineEntry = {
    at: Number(at),
    kind: (typeof kind === 'number' ? KINDS[kind] : kind) as TimelineEntry['kind'],
    name: typeof name === 'number' ? (NAMES[name] ?? String(name)) : String(name),
  };
  if (typeof state === 'string') entry.state = state;
  if (row.length > 4) {
    entry.detail = isRecord(detail)
      ? mapRecord(detail, decodeField, Number(at))
      : Array.isArray(detail)
        ? (detail[0] as unknown)
        : detail;
  }
  return entry;
}

/** A stored entry, in either encoding. */
export function decodeEntry(text: string): TimelineEntry {
  const parsed: unknown = JSON.parse(text);
  if (Array.isArray(parsed)) return decodeRow(parsed as unknown[]);
  return parsed as TimelineEntry;
}
