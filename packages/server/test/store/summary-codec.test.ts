import { describe, expect, it } from 'vitest';
import { encodeSummary, parseSummary } from '../../src/store/summary-codec.ts';
import type { ConferenceSummary } from '../../src/store/types.ts';

const hex = (n: number) => n.toString(16).padStart(32, '0');
const summary: ConferenceSummary = {
  state: 'pinging',
  final: false,
  outcome: null,
  workerSid: `WK${hex(0xabcdef)}`,
  taskSid: `WT${hex(7)}`,
  recoveryStartedAt: 1_796_000_000_123,
};
/** What commit.lua stores: the created ms in front ('[' first for the JSON form). */
const stored = (rest: string, created = 1_796_000_000_000) =>
  rest.startsWith(',') ? `[${created}${rest}` : `${created}${rest}`;

describe('summaries', () => {
  it('are compact when they can be: one 64-byte piece of the state hash', () => {
    const value = stored(encodeSummary({ ...summary, recoveryStartedAt: null }));
    expect(value).toMatch(/^1796000000000~/);
    expect(value.length).toBeLessThanOrEqual(64);
    for (const one of [
      summary,
      { ...summary, recoveryStartedAt: null },
      { ...summary, state: 'recovered', final: true, outcome: 'recovered' },
      { ...summary, state: 'customerLeft', final: true, outcome: 'customer-hung-up' },
    ]) {
      expect(parseSummary(stored(encodeSummary(one)))).toEqual({
        summary: one,
        createdAt: 1_796_000_000_000,
      });
    }
  });

  it('are JSON when the compact form cannot say them, and read back the same', () => {
    for (const one of [
      { ...summary, state: 'some-new-state' },
      { ...summary, final: true, outcome: 'some-new-reason' },
      { ...summary, workerSid: null },
      { ...summary, taskSid: 'WT1' },
      { ...summary, workerSid: `WK${hex(0xabc).toUpperCase()}` },
    ]) {
      const rest = encodeSummary(one);
      expect(rest.startsWith(','), JSON.stringify(one)).toBe(true);
      expect(parseSummary(stored(rest))).toEqual({ summary: one, createdAt: 1_796_000_000_000 });
    }
  });

  it('reads the object form written before, without its created time', () => {
    expect(parseSummary(JSON.stringify(summary))).toEqual({ summary, createdAt: undefined });
    expect(parseSummary(null)).toBeNull();
    expect(parseSummary('not json')).toBeNull();
  });
});
