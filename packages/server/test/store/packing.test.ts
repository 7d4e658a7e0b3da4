import { describe, expect, it } from 'vitest';
import { BINARY, pack, packAs, packRecord, unpack, unpackRecord } from '../../src/store/packing.ts';

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
