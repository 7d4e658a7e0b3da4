/**
 * Snapshots (at every commit) and timeline entries (every few, lua/compact-timeline.lua),
 * compressed: raw deflate with a preset dictionary of the text every conference repeats.
 * Text values are base64 behind a mark naming their dictionary (PACKED, PACKED_V1), so
 * ioredis-mock (whose Lua is not binary-safe) only ever sees plain strings; a store on a real
 * Redis (RedisStoreOptions.binary) keeps the raw bytes behind one byte, BINARY: a quarter
 * shorter, and each timeline entry's time as a step from the one before. Anything else is
 * as the codecs wrote it.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Values packed against DICTIONARY, what pack() writes. */
export const PACKED = '~y';
/** Values packed against DICTIONARY_V1, as written before (still read). */
export const PACKED_V1 = '~z';
/**
 * First byte of a value packed against DICTIONARY as raw bytes: never the first byte of
 * UTF-8 text, so no text value is taken for one (lua/includes/state-field.lua splits such a
 * value anywhere, text only between characters).
 */
export const BINARY = 0xff;

/** A packed value: text, or bytes behind BINARY (as written, and as read back). */
export type Packed = string | Buffer;

/**
 * Text that recurs in every packed value: deflate finds its phrases here instead of paying
 * for them in each value. Never change it: stored values were packed against it (a new one
 * gets a new mark). Written for the snapshot schema 3 and timeline codec of the time: about
 * half the bytes of DICTIONARY_V1's output. The SIDs in it are placeholders; real ones are
 * random and found in no dictionary.
 */
const DICTIONARY = Buffer.from(
  [
    '~1{"!0":3,"!1":"connected","!2":{"!0":3,"!3":"CF11111111111111111111111111111111","!4":"',
    'none","!5":{"!6":15,"!7":20000,"!8":1000,"!9":60000,"!a":1000,"redialTimeoutMs":30000},"',
    '!b":"CA11111111111111111111111111111111","!c":{"from":"+1","name":""},"!d":{"WK111111111',
    '11111111111111111111111":{"!i":"^2","!j":"Agent","!k":"CA2222222222222222222222222222222',
    '2","!l":"WR11111111111111111111111111111111","!m":"WT11111111111111111111111111111111","',
    '!n":"WW11111111111111111111111111111111","!o":true,"!p":null}},"!e":{"^1":{"!k":"^1","!q',
    '":"customer","!r":false,"!s":true,"!o":true,"!v":19},"^3":{"!k":"^3","!q":null,"!r":fals',
    'e,"!s":false,"!o":true,"!v":-1}},"!f":null,"!g":0,"!h":null}}',
    '"!f":null,"!g":0,"!h":{"!18":"ended","!19":"conference-ended","!1a":1796000000000}}}',
    '[1796000000000,0,7,"connected",{"s":2,"o":0,"A":0,"T":"WT1111111111111111111111111111111',
    '1","workflowSid":"WW11111111111111111111111111111111","customerCallSid":"CA1111111111111',
    '1111111111111111111","W":"WK11111111111111111111111111111111","R":"WR1111111111111111111',
    '1111111111111","workerCallSid":"CA22222222222222222222222222222222","workerName":"Agent"',
    '}]\n[1796000000000,1,28,null,{"k":"CF11111111111111111111111111111111:keep:CA222222222222',
    '22222222222222222222:register-WR11111111111111111111111111111111"}]\n[1796000000000,2,28,',
    'null,{"k":"CF11111111111111111111111111111111:keep:CA22222222222222222222222222222222:re',
    'gister-WR11111111111111111111111111111111","t":1,"r":"done","m":90}]\n[1796000000000,0,1,',
    '"connected",{"s":0,"o":0,"A":1,"q":1,"c":"CA11111111111111111111111111111111","l":"custo',
    'mer","x":false,"h":false,"u":false,"g":false}]\n[1796000000000,0,2,"recovering",{"s":0,"o',
    '":0,"A":1,"q":5,"c":"CA22222222222222222222222222222222","l":null,"x":false,"w":"partici',
    'pant-left"}]\n[1796000000000,1,26,null,{"k":"CF11111111111111111111111111111111:announce:',
    'CA11111111111111111111111111111111:1"}]\n[1796000000000,2,26,null,{"k":"CF111111111111111',
    '11111111111111111:announce:CA11111111111111111111111111111111:1","t":1,"r":"done","m":12',
    '0}]\n[1796000000000,1,30,null,{"k":"CF11111111111111111111111111111111:ping:1"}]\n[1796000',
    '000000,2,30,null,{"k":"CF11111111111111111111111111111111:ping:1","t":1,"r":"done","m":1',
    '50}]\n[1796000000000,0,24,"pinging",{"s":4,"o":0,"A":0,"T":"WT111111111111111111111111111',
    '11111"}]\n[1796000000000,0,16,"reconnecting",{"s":1,"o":0,"A":0,"T":"WT111111111111111111',
    '11111111111111","W":"WK11111111111111111111111111111111","R":"WR111111111111111111111111',
    '11111111"}]\n[1796000000000,0,4,"conferenceEnded",{"s":0,"o":0,"A":0,"q":21,"w":"last-par',
    'ticipant-left"}]\n[1796000000000,0,0,"connected",{"s":0,"o":0,"A":1,"q":2,"c":"CA11111111',
    '111111111111111111111111","l":"customer","x":false,"h":false,"v":"hold"}]\n[1796000000000',
    ',0,0,"connected",{"s":0,"o":0,"A":1,"q":3,"c":"CA11111111111111111111111111111111","l":"',
    'customer","x":false,"h":true,"v":"hold"}]\n',
  ].join(''),
);

const DICTIONARY_V1 = Buffer.from(
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

const DICTIONARIES = new Map([
  [PACKED, DICTIONARY],
  [PACKED_V1, DICTIONARY_V1],
]);

export function pack(text: string): string {
  return `${PACKED}${deflateRawSync(text, { dictionary: DICTIONARY }).toString('base64')}`;
}

/**
 * Timeline values this process packed lately, by packed value, so packing the timeline (every
 * few commits: redis-store.ts) reads back the tail entries and the timeline it packed itself
 * without inflating them again: about a third of a webhook's zlib work. A packed value always
 * unpacks to the same text, so a hit is exact; a value another instance wrote is inflated.
 * Oldest first out, within RECENT_CHARS of text.
 */
const recent = new Map<string, string>();
const RECENT_CHARS = 8_000_000;
let recentChars = 0;

/** A cache key: a text value as it is, bytes one character each (they start with BINARY). */
function keyOf(value: Packed): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

function remember(value: Packed, text: string): void {
  const packed = keyOf(value);
  if (recent.has(packed) || text.length > RECENT_CHARS / 100) return;
  recent.set(packed, text);
  recentChars += packed.length + text.length;
  for (const [oldest, its] of recent) {
    if (recentChars <= RECENT_CHARS) break;
    recent.delete(oldest);
    recentChars -= oldest.length + its.length;
  }
}

/** A line that starts with a timeline entry's time (timeline-codec.ts: `[at,...`). */
const TIMED = /^\[(-?\d+),/;
/** Times of at most 15 digits: their differences stay exact doubles. */
const MAX_TIME_DIGITS = 15;

/**
 * Each line's leading time as its distance from the line before's (the first from 0): times
 * of one conference differ by a few digits, which deflate stores in fewer bytes than the 13
 * of a time (about 20 bytes a record). Null when a time is not a canonical integer of at
 * most 15 digits (never from the codec): then the value is not packed this way.
 */
function timesAsSteps(text: string): string | null {
  let before = 0;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const digits = TIMED.exec(line)?.[1];
    if (digits === undefined) continue;
    const at = Number(digits);
    if (digits.replace('-', '').length > MAX_TIME_DIGITS || String(at) !== digits) return null;
    lines[i] = `[${at - before}${line.slice(digits.length + 1)}`;
    before = at;
  }
  return lines.join('\n');
}

/** The inverse of timesAsSteps: the same lines carry a time, each now a step. */
function stepsAsTimes(text: string): string {
  let before = 0;
  return text
    .split('\n')
    .map((line) => {
      const digits = TIMED.exec(line)?.[1];
      if (digits === undefined) return line;
      before += Number(digits);
      return `[${before}${line.slice(digits.length + 1)}`;
    })
    .join('\n');
}

/**
 * pack(), or when `binary` (a real Redis only) raw bytes behind BINARY, each line's time a
 * step from the one before (timesAsSteps). A text whose times cannot be steps is pack()ed.
 */
export function packAs(text: string, binary: boolean): Packed {
  const steps = binary ? timesAsSteps(text) : null;
  if (steps === null) return pack(text);
  const bytes = deflateRawSync(steps, { dictionary: DICTIONARY });
  return Buffer.concat([Buffer.of(BINARY), bytes]);
}

export function unpack(value: Packed): string {
  const known = recent.get(keyOf(value));
  if (known !== undefined) return known;
  if (typeof value !== 'string') {
    if (value[0] !== BINARY) return unpack(value.toString());
    const bytes = inflateRawSync(value.subarray(1), { dictionary: DICTIONARY });
    return stepsAsTimes(bytes.toString());
  }
  const dictionary = DICTIONARIES.get(value.slice(0, PACKED.length));
  if (dictionary === undefined) return value;
  const bytes = Buffer.from(value.slice(PACKED.length), 'base64');
  return inflateRawSync(bytes, { dictionary }).toString();
}

/** Entries as stored in the list (one JSON array each: no newline inside), packed as one. */
export function packEntries(entries: readonly string[], binary = false): Packed {
  const text = entries.join('\n');
  const packed = packAs(text, binary);
  remember(packed, text);
  return packed;
}

export function unpackEntries(value: Packed | null): string[] {
  if (value === null || value.length === 0) return [];
  const text = unpack(value);
  return text === '' ? [] : text.split('\n');
}

/**
 * A finished conference's snapshot (as snapshot-codec.ts wrote it) and timeline entries,
 * packed as one value: its SIDs are in both, and one stream pays for them once.
 */
export function packRecord(snapshot: string, entries: readonly string[], binary = false): Packed {
  return packAs([snapshot, ...entries].join('\n'), binary);
}

export function unpackRecord(value: Packed): { snapshot: string; entries: string[] } {
  const [snapshot = '', ...entries] = unpack(value).split('\n');
  return { snapshot, entries };
}

/**
 * One timeline entry as appended to a state's 'tail' (lua/commit.lua): packed on its own
 * when that is shorter (most are: about half of an entry is structure the dictionary holds),
 * since a tail holds up to a few entries of every live conference until they are packed
 * together. Read back with unpack().
 */
export function packEntry(text: string): string {
  const packed = pack(text);
  if (packed.length >= text.length) return text;
  remember(packed, text);
  return packed;
}
