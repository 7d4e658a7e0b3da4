import { createHash } from 'node:crypto';

/**
 * A delivery id or an effect key as the member of a conference's seen or done set: 62 bits
 * of its SHA-1 in decimal. Redis keeps a set of such integers as an intset, 8 bytes a member,
 * where the ids themselves (CloudEvent ids, effect keys with SIDs in them) made a hashtable of
 * about 80 bytes a member. A collision needs two ids of one conference among 2^62 values.
 */
export function memberToken(id: string): string {
  const digest = createHash('sha1').update(id).digest();
  return (digest.readBigUInt64BE(0) >> 2n).toString();
}
