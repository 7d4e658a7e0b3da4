import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BINARY,
  pack,
  packAs,
  packEntries,
  packEntry,
  packRecord,
  unpack,
  unpackEntries,
  unpackRecord,
} from '../../src/store/packing.ts';

const T = 1_796_000_000_123;

describe('packing', () => {
  it('round-trips bytes with times as steps, whatever the times', () => {
    const texts = [
      `~1{"!0":3}\n[${T},0,7,"connected"]\n[${T + 35},1,28,null]\n[${T - 9},2,28]`,
      `[-5,0]\n[0,1]\n[5,2]\n[-0.5,3]\n["x",4]\n{"at":${T}}\n[${T},`,
      // Not canonical, or too long to step exactly: packed as text.
      `[${T},0]\n[007,1]`,
      `[${T},0]\n[1234567890123456,1]`,
      '',
    ];
    for (const text of texts) {
      const value = packAs(text, true);
      expect(unpack(value)).toBe(text);
    }
    expect(packAs(texts[0] ?? '', true)[0]).toBe(BINARY);
    expect(packAs(texts[2] ?? '', true)).toMatch(/^~y/);
    expect(packAs(texts[0] ?? '', false)).toBe(pack(texts[0] ?? ''));
  });

  it('packs a record of a snapshot and entries, as bytes or text', () => {
    const entries = [`[${T},0,1,"connected"]`, `[${T + 20},0,1,"connected"]`];
    for (const binary of [true, false]) {
      expect(unpackRecord(packRecord('~1{"!0":3}', entries, binary))).toEqual({
        snapshot: '~1{"!0":3}',
        entries,
      });
    }
  });
});

const entry = (n: number) =>
  `[1796000000000,0,0,"connected",{"s":0,"o":0,"A":1,"q":${n},"c":"CA${'1'.repeat(32)}"}]`;

describe('packing, with what this process packed remembered', () => {
  it('reads back what it packed: entries, timelines and snapshots', () => {
    const entries = Array.from({ length: 50 }, (_, n) => entry(n));
    for (const one of entries) expect(unpack(packEntry(one))).toBe(one);
    expect(unpackEntries(packEntries(entries))).toEqual(entries);
    expect(unpackEntries(packEntries(entries, true))).toEqual(entries);
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
    const bytes = Array.from({ length: 40 }, (_, i) => packEntries(big.slice(i, i + 300), true));
    bytes.forEach((value, i) => expect(unpackEntries(value)).toEqual(big.slice(i, i + 300)));
  });
});
