/**
 * Reading the fields of a conference's state hash that lua/includes/state-field.lua stores in
 * pieces of at most 64 bytes (`name`, then `name1`, `name2`, ... or SHORT's `S1`, `S2`, ...),
 * so the hash stays a listpack: one longer value would turn it into a hashtable, several times
 * its size. The state is read as bytes: a packed value of a binary store (packing.ts BINARY)
 * is not text, and its pieces split it anywhere.
 */
import { BINARY } from './packing.ts';
import type { Packed } from './packing.ts';
import type { RedisClient } from './scripts.ts';

/**
 * The one-letter names of the later pieces of the fields that run longest (`S1`, `S2`, ...
 * for the snapshot), as lua/includes/state-field.lua writes them: a piece's name costs as
 * many bytes as its value's. Pieces written before under the whole name are still read.
 */
const SHORT: Readonly<Record<string, string>> = {
  snapshot: 'S',
  timeline: 'T',
  record: 'R',
  tail: 'L',
  seen: 'E',
  indexes: 'I',
};

/** Fields as read: bytes (readState), or text (a read of some pieces as strings). */
export type StateFields = Record<string, string | Buffer>;

/**
 * The whole value of a field (its pieces joined), or null when absent: bytes for a packed
 * value of a binary store (packing.ts BINARY), text for anything else, so it goes back to a
 * script as it was stored (ioredis-mock's Lua takes text only).
 */
export function stateValue(fields: StateFields, name: string): Packed | null {
  const first = fields[name];
  if (first === undefined) return null;
  const pieces = [first];
  const short = SHORT[name];
  // Pieces under the whole name were written before the short names.
  const stem = short !== undefined && fields[`${short}1`] !== undefined ? short : name;
  for (let i = 1; ; i += 1) {
    const piece = fields[`${stem}${i}`];
    if (piece === undefined) break;
    pieces.push(piece);
  }
  const bytes = Buffer.concat(
    pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)),
  );
  return bytes[0] === BINARY ? bytes : bytes.toString();
}

/** The whole value of a text field (its pieces joined), or null when absent. */
export function stateField(fields: StateFields, name: string): string | null {
  const value = stateValue(fields, name);
  return value === null || typeof value === 'string' ? value : value.toString();
}

/** Every field of the state hash, in one read: a listpack of a few hundred bytes. */
export function readState(client: RedisClient, key: string): Promise<StateFields> {
  return client.hgetallBuffer(key);
}

export async function readStateField(
  client: RedisClient,
  key: string,
  name: string,
): Promise<string | null> {
  return stateField(await readState(client, key), name);
}
