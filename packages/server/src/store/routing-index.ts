/**
 * Routing indexes (`task:WT…`, `worker:WK…`, `redial:…`, `bridge:CF…` → conference SID,
 * index-names.ts): fields of INDEX_BUCKETS hashes in the {idx} slot (keys.ts indexBucket), each
 * value `<conference SID>|<expiry>`, the expiry in whole seconds since the epoch, zero-padded
 * to EXPIRY_WIDTH digits so the scripts compare it as a string (ioredis-mock's Lua has 32-bit
 * integers). A string key of its own per index cost about 200 bytes with the keyspace's
 * entries; a field of a listpack about 90.
 *
 * Redis cannot expire a field, so a field past its expiry reads as absent, every write to a
 * bucket drops the expired fields in it (lua/point-index.lua), and the bucket key itself
 * expires with its longest-lived field. Indexes written before the buckets (a string key per
 * name) are still read when the bucket has no field for the name; writing the name deletes it.
 */
import type { KeyLayout } from './keys.ts';
import type { RedisClient } from './scripts.ts';
import { runScript } from './scripts.ts';

/** Digits of an expiry: whole seconds up to the year 2286. */
const EXPIRY_WIDTH = 10;
/** Between the SID and its expiry: conference SIDs never contain it (keys.ts). */
const SEPARATOR = '|';

/** Whole seconds since the epoch, fixed width: what the scripts compare. */
export function secondsMark(ms: number): string {
  return String(Math.max(0, Math.floor(ms / 1000))).padStart(EXPIRY_WIDTH, '0');
}

/** A bucket's value: the conference, live until `ttlS` seconds after `nowMs`. */
export function pointer(conferenceSid: string, nowMs: number, ttlS: number): string {
  return `${conferenceSid}${SEPARATOR}${secondsMark(nowMs + ttlS * 1000)}`;
}

/** The conference a bucket's value points at, or null when it expired. */
export function pointerTarget(value: string | null | undefined, nowMs: number): string | null {
  if (value == null) return null;
  const at = value.lastIndexOf(SEPARATOR);
  if (at < 0) return null;
  return value.slice(at + 1) > secondsMark(nowMs) ? value.slice(0, at) : null;
}

/** Where an index name lives: its bucket, and its string key of the layout before. */
export function indexKeys(keys: KeyLayout, name: string): [bucket: string, legacy: string] {
  return [keys.indexBucket(name), keys.index(name)];
}

/**
 * What the bucket's field and the string key of the layout before say (their two replies):
 * the field whenever the bucket has one for the name, even expired, since writing a name
 * deletes its string key.
 */
export function resolveIndex(
  field: string | null | undefined,
  legacy: string | null | undefined,
  nowMs: number,
): string | null {
  if (field != null) return pointerTarget(field, nowMs);
  return legacy ?? null;
}

export async function readIndex(
  client: RedisClient,
  keys: KeyLayout,
  name: string,
  nowMs: number,
): Promise<string | null> {
  const [bucket, legacy] = indexKeys(keys, name);
  const [field, old] = await Promise.all([client.hget(bucket, name), client.get(legacy)]);
  return resolveIndex(field, old, nowMs);
}

/** Points the name at the conference for `ttlS` seconds (lua/point-index.lua). */
export async function pointIndex(
  client: RedisClient,
  keys: KeyLayout,
  name: string,
  conferenceSid: string,
  nowMs: number,
  ttlS: number,
): Promise<void> {
  await runScript(client, 'pointIndex', indexKeys(keys, name), [
    name,
    pointer(conferenceSid, nowMs, ttlS),
    String(ttlS),
    secondsMark(nowMs),
  ]);
}

/**
 * At the end of the conference: the name, if it still points there, is deleted (`ttlS` 0)
 * or lives `ttlS` seconds more (lua/expire-index.lua).
 */
export async function releaseIndex(
  client: RedisClient,
  keys: KeyLayout,
  name: string,
  conferenceSid: string,
  nowMs: number,
  ttlS: number,
): Promise<void> {
  await runScript(client, 'expireIndex', indexKeys(keys, name), [
    conferenceSid,
    String(ttlS),
    name,
    pointer(conferenceSid, nowMs, ttlS),
  ]);
}
