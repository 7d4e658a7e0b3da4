/**
 * What a finished conference keeps for its audit life, compressed: its timeline entries as
 * one field and its snapshot (see lua/compact-final.lua). Raw deflate with a preset
 * dictionary of the text every conference repeats, in base64 so the scripts and
 * ioredis-mock only ever see plain strings. Values start with PACKED; anything else is as
 * the codecs wrote it.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const PACKED = '~z';

/**
 * Text that recurs in every packed value: deflate finds its phrases here instead of paying
 * for them in each value. Never change it: stored values were packed against it.
 */
const DICTIONARY = Buffer.from(
  [
    '~1{"!0":2,"!1":"connected","!2":{"!0":2,"!3":"CF","!4":"none","!5":{"!6":15,"!7":20000,',
    '"!8":1000,"!9":60000,"!a":1000},"!b":"CA","!c":{},"!d":{"WK":{"!i":"^2","!j":"","!k":"CA",',
    '"!l":"WR","!m":"WT","!n":"WW","!o":true,"!p":null}},"!e":{"^1":{"!k":"^1","!q":"customer",',
    '"!r":false,"!s":false,"!t":false,"!u":false,"!o":true,"!v":3},"^3":{"!k":"^3","!q":null,',
    '"!r":false,"!s":false,"!o":true,"!v":-1}},"!f":null,"!g":0,"!h":null}}',
    '[1796000000000,0,0,"connected",{"s":0,"o":0,"A":0,"q":1,"c":"CA","l":"customer","x":false,',
    '"h":true,"v":"hold"}]\n[1796000000000,2,28,null,{"k":"keep-CA","t":1,"r":"done","m":85}]\n',
  ].join(''),
);

const OPTIONS = { dictionary: DICTIONARY };

export function pack(text: string): string {
  return `${PACKED}${deflateRawSync(text, OPTIONS).toString('base64')}`;
}

export function unpack(value: string): string {
  if (!value.startsWith(PACKED)) return value;
  return inflateRawSync(Buffer.from(value.slice(PACKED.length), 'base64'), OPTIONS).toString();
}

/** Entries as stored in the list (one JSON array each: no newline inside), packed as one. */
export function packEntries(entries: readonly string[]): string {
  return pack(entries.join('\n'));
}

export function unpackEntries(value: string | null): string[] {
  if (value === null || value === '') return [];
  const text = unpack(value);
  return text === '' ? [] : text.split('\n');
}
