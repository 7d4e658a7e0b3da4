/**
 * A delivery id or an effect key as the member of a conference's seen or done set: a 53-bit
 * hash in decimal. Redis keeps a set of such integers as an intset, 8 bytes a member, where
 * the ids themselves (CloudEvent ids, effect keys with SIDs in them) made a hashtable of
 * about 80 bytes a member. Two ids of one conference collide with odds of about n² / 2^54
 * (1e-10 for a thousand ids); the ids come from signed webhooks and the machine's own keys,
 * so nobody chooses them to collide. Not a cryptographic hash: a SHA-1 per id cost more than
 * the rest of the commit's encoding.
 */
export function memberToken(id: string): string {
  return String(tokenValue(id));
}

/** Digits of seenToken: no comma or newline, and none a UTF-8 continuation byte. */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
/** Characters of a seenToken: 9 base-64 digits hold the 53 bits. */
export const SEEN_TOKEN_LENGTH = 9;

/**
 * The same 53-bit hash as memberToken, as 9 base-64 digits, fixed width: the tokens of a
 * conference's consumed delivery ids are concatenated in its state's 'seen' field
 * (lua/commit.lua), about 9 bytes an id where a set of their own cost a key and 330 bytes.
 */
export function seenToken(id: string): string {
  let value = tokenValue(id);
  let out = '';
  for (let i = 0; i < SEEN_TOKEN_LENGTH; i += 1) {
    out = (DIGITS[value % 64] ?? '0') + out;
    value = Math.floor(value / 64);
  }
  return out;
}

function tokenValue(id: string): number {
  // Two 32-bit multiply-xorshift lanes over the UTF-16 code units, then a final mix of each.
  let a = 0x9e3779b9;
  let b = 0x7f4a7c15;
  for (let i = 0; i < id.length; i += 1) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x85ebca6b);
    a ^= a >>> 15;
    b = Math.imul(b ^ c, 0xc2b2ae35);
    b ^= b >>> 13;
  }
  a ^= Math.imul(b ^ (b >>> 16), 0x27d4eb2d);
  a = Math.imul(a ^ (a >>> 15), 0x165667b1);
  a ^= a >>> 16;
  b ^= Math.imul(a ^ (a >>> 13), 0x45d9f3b);
  b = Math.imul(b ^ (b >>> 16), 0x119de1f3);
  b ^= b >>> 15;
  // 21 high bits from one lane and 32 from the other: a safe integer, never negative.
  return (b >>> 11) * 0x1_0000_0000 + (a >>> 0);
}
