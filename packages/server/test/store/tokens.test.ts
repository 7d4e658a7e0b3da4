import { describe, expect, it } from 'vitest';
import { memberToken, seenToken } from '../../src/store/tokens.ts';

describe('member tokens', () => {
  it('are stable canonical integers that Redis keeps in an intset', () => {
    const token = memberToken('cs:12:participant-hold');
    expect(token).toBe(memberToken('cs:12:participant-hold'));
    expect(token).toMatch(/^(0|[1-9]\d*)$/);
    expect(Number.isSafeInteger(Number(token))).toBe(true);
  });

  it('do not collide across many ids that differ in a character or two', () => {
    const ids: string[] = [];
    for (let seq = 0; seq < 20_000; seq += 1) {
      ids.push(`cs:${seq}:participant-hold`, `cs:${seq}:participant-unhold`);
      ids.push(`EV${seq.toString(16).padStart(32, '0')}`);
      ids.push(`keep-CA${seq.toString(16).padStart(32, '0')}-register-WR1`);
    }
    expect(new Set(ids.map(memberToken)).size).toBe(ids.length);
  });
});

describe('seen tokens', () => {
  it('are the member token in 9 fixed-width base-64 digits', () => {
    for (const id of ['cs:12:participant-hold', 'EV1', '']) {
      const token = seenToken(id);
      expect(token).toMatch(/^[0-9A-Za-z_-]{9}$/);
      const value = [...token].reduce(
        (n, c) =>
          n * 64 + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_'.indexOf(c),
        0,
      );
      expect(String(value)).toBe(memberToken(id));
    }
  });
});
