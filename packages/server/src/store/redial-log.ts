/**
 * Re-dials: a recovery whose customer task was accepted waits for the customer, then each
 * moved party, to join the NEW conference (named after that task). Its commit points
 * `redial:<name>` at the old conference (CommitRequest.index.redialNames); the new
 * conference's participant callbacks are forwarded there.
 *
 * A callback may come before that commit (Event Streams is slower than voice callbacks, or
 * redelivered): so every participant callback of a conference is first appended to
 * `redial-log:<name>`, THEN the index is read, in one transaction. The recovery reads the log
 * once its commit is done (the collectRedialJoins effect). Whichever of the two happens
 * second sees the other's write: a join is never lost, and a repeat is only a duplicate.
 * The log and the index (its bucket, and its string key of the layout before:
 * routing-index.ts) are in the {idx} slot, so the transaction is valid on Redis Cluster; all
 * expire.
 */
import type { KeyLayout } from './keys.ts';
import { indexKeys, resolveIndex } from './routing-index.ts';
import type { RedisClient } from './scripts.ts';

/** Callbacks kept per conference name: far more joins and leaves than a call has. */
const LOG_CAP = 200;

export function redialIndexName(conferenceName: string): string {
  return `redial:${conferenceName}`;
}

function logKey(keys: KeyLayout, conferenceName: string): string {
  return keys.index(`redial-log:${conferenceName}`);
}

/** Appends `entry` to the name's log and answers the conference re-dialing into it, if any. */
export async function noteRedialCallback(
  client: RedisClient,
  keys: KeyLayout,
  note: { conferenceName: string; entry: string; ttlS: number; now: number },
): Promise<string | null> {
  const log = logKey(keys, note.conferenceName);
  const name = redialIndexName(note.conferenceName);
  const [bucket, legacy] = indexKeys(keys, name);
  const replies = await client
    .multi()
    .rpush(log, note.entry)
    .ltrim(log, -LOG_CAP, -1)
    .expire(log, note.ttlS)
    .hget(bucket, name)
    .get(legacy)
    .exec();
  if (replies === null) throw new Error('redial log transaction aborted');
  const [fieldError, field] = replies[3] ?? [null, null];
  const [legacyError, old] = replies[4] ?? [null, null];
  if (fieldError !== null) throw fieldError;
  if (legacyError !== null) throw legacyError;
  return resolveIndex(
    typeof field === 'string' ? field : null,
    typeof old === 'string' ? old : null,
    note.now,
  );
}

/** Every callback logged for the name, oldest first. */
export function redialCallbacks(
  client: RedisClient,
  keys: KeyLayout,
  conferenceName: string,
): Promise<string[]> {
  return client.lrange(logKey(keys, conferenceName), 0, -1);
}
