import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pack, packEntries, packEntry, unpack, unpackEntries } from '../../src/store/packing.ts';

const entry = (n: number) =>
  `[1796000000000,0,0,"connected",{"s":0,"o":0,"A":1,"q":${n},"c":"CA${'1'.repeat(32)}"}]`;

describe('packing', () => {
  it('reads back what it packed: entries, timelines and snapshots', () => {
    const entries = Array.from({ length: 50 }, (_, n) => entry(n));
    for (const one of entries) expect(unpack(packEntry(one))).toBe(one);
    expect(unpackEntries(packEntries(entries))).toEqual(entries);
    const snapshot = `~1{"!0":3,"!1":"connected","!3":"CF${'2'.repeat(32)}"}`;
    expect(unpack(pack(snapshot))).toBe(snapshot);
  });

  it('reads a value another process packed, and text that was never packed', () => {
    const text = entry(7);
    // The same bytes another instance would write: inflated, not looked up.
    const elsewhere = pack(text);
    expect(unpack(`${elsewhere}`)).toBe(text);
    expect(unpack(text)).toBe(text);
    const plain = deflateRawSync('{"x":1}').toString('base64');
    expect(unpack(plain)).toBe(plain);
  });

  it('keeps reading back correctly past what it remembers', () => {
    const big = Array.from({ length: 400 }, (_, n) => entry(n));
    const packed = Array.from({ length: 40 }, (_, i) => packEntries(big.slice(i, i + 300)));
    packed.forEach((value, i) => expect(unpackEntries(value)).toEqual(big.slice(i, i + 300)));
  });
});
