/**
 * Reading the fields of a conference's state hash that lua/includes/state-field.lua stores in
 * pieces of at most 64 bytes (`name`, `name1`, `name2`, ...), so the hash stays a listpack:
 * one longer value would turn it into a hashtable, several times its size.
 */
import type { RedisClient } from './scripts.ts';

export type StateFields = Record<string, string>;

/** The whole value of a field (its pieces joined), or null when absent. */
export function stateField(fields: StateFields, name: string): string | null {
  const first = fields[name];
  if (first === undefined) return null;
  let value = first;
  for (let i = 1; ; i += 1) {
    const piece = fields[`${name}${i}`];
    if (piece === undefined) return value;
    value += piece;
  }
}

/** Every field of the state hash, in one read: a listpack of a few hundred bytes. */
export function readState(client: RedisClient, key: string): Promise<StateFields> {
  return client.hgetall(key);
}

export async function readStateField(
  client: RedisClient,
  key: string,
  name: string,
): Promise<string | null> {
  return stateField(await readState(client, key), name);
}
