/**
 * Snapshots as Redis keeps them: the persisted JSON with its field names shortened and each
 * long string written once. A conference's SIDs repeat (a participant's call SID is its key,
 * its callSid and often the customerCallSid), and its field names repeat per agent and per
 * participant: about 40% of the bytes go. Any JSON value round-trips.
 *
 *   '~1' + JSON of the value where
 *     a key in KEYS         is '!' + its index (base 36)
 *     a string of 16 chars or more, seen before in the walk (keys and values, in order),
 *                           is '^' + the index of its first occurrence (base 36)
 *     a string (key or value) that starts with '^' or '!' is kept behind '^~'
 *
 * Anything not starting with the mark is plain JSON, as written before: both decode.
 */

const MARK = '~1';
const MIN_SHARED = 16;

/** Field names of the persisted snapshot. Append only: stored snapshots refer to positions. */
const KEYS: readonly string[] = [
  'schemaVersion',
  'value',
  'context',
  'conferenceSid',
  'lookup',
  'config',
  'pingTtlS',
  'pingTimeoutMs',
  'pingPriority',
  'reconnectTimeoutMs',
  'reconnectPriority',
  'customerCallSid',
  'taskAttributes',
  'agents',
  'participants',
  'recovery',
  'recoveries',
  'outcome',
  'workerSid',
  'workerName',
  'callSid',
  'reservationSid',
  'taskSid',
  'workflowSid',
  'present',
  'exit',
  'label',
  'endConferenceOnExit',
  'hold',
  'muted',
  'coaching',
  'seq',
  'id',
  'cause',
  'disconnectedAt',
  'pingTaskSid',
  'customerIn',
  'customerTaskKind',
  'customerTaskSid',
  'reservationCompletionRequested',
  'requeues',
  'newConferenceName',
  'acceptedByWorkerSid',
  'parties',
  'kind',
  'reason',
  'at',
  'status',
  'error',
  'pingCreateTimeoutMs',
];
const KEY_INDEX = new Map(KEYS.map((key, index) => [key, index]));

function needsEscape(text: string): boolean {
  return text.startsWith('^') || text.startsWith('!');
}

class Encoder {
  readonly #seen = new Map<string, number>();

  string(text: string): string {
    if (text.length >= MIN_SHARED) {
      const known = this.#seen.get(text);
      if (known !== undefined) return `^${known.toString(36)}`;
      this.#seen.set(text, this.#seen.size);
    }
    return needsEscape(text) ? `^~${text}` : text;
  }

  key(key: string): string {
    const index = KEY_INDEX.get(key);
    return index === undefined ? this.string(key) : `!${index.toString(36)}`;
  }

  value(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) return value.map((item: unknown) => this.value(item));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const inner = record[key];
        if (inner === undefined) continue; // as JSON.stringify does
        out[this.key(key)] = this.value(inner);
      }
      return out;
    }
    return value;
  }
}

class Decoder {
  readonly #shared: string[] = [];

  string(text: string): string {
    if (text.startsWith('^') && !text.startsWith('^~')) {
      const shared = this.#shared[parseInt(text.slice(1), 36)];
      if (shared === undefined) throw new Error('Stored snapshot refers to an unknown string.');
      return shared;
    }
    const literal = text.startsWith('^~') ? text.slice(2) : text;
    if (literal.length >= MIN_SHARED) this.#shared.push(literal);
    return literal;
  }

  key(key: string): string {
    if (key.startsWith('!')) {
      const known = KEYS[parseInt(key.slice(1), 36)];
      if (known === undefined) throw new Error('Stored snapshot has an unknown field name.');
      return known;
    }
    return this.string(key);
  }

  value(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) return value.map((item: unknown) => this.value(item));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) out[this.key(key)] = this.value(record[key]);
      return out;
    }
    return value;
  }
}

export function encodeSnapshot(snapshot: unknown): string {
  const text = JSON.stringify(new Encoder().value(snapshot));
  // undefined, functions and symbols serialise to nothing: the store would lose the value.
  if (text === undefined) throw new TypeError('The store only keeps JSON-serialisable values.');
  return `${MARK}${text}`;
}

/** A stored snapshot, in either encoding. */
export function decodeSnapshot(stored: string): unknown {
  if (!stored.startsWith(MARK)) return JSON.parse(stored) as unknown;
  return new Decoder().value(JSON.parse(stored.slice(MARK.length)));
}
