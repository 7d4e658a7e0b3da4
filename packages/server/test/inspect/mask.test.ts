import { describe, expect, it } from 'vitest';
import { maskDeep, maskPhones } from '../../src/inspect/mask.ts';
import { buildTimeline } from '../../src/inspect/timeline.ts';

describe('phone number masking', () => {
  it('masks E.164 numbers and long digit runs, keeping the country digit and the last four', () => {
    expect(maskPhones('+15551234567')).toBe('+1******4567');
    expect(maskPhones('from +447700900123 to client:alice')).toBe(
      'from +4*******0123 to client:alice',
    );
    expect(maskPhones('5551234567')).toBe('******4567');
    expect(maskPhones('tel:+15551234567;ext=1')).toBe('tel:+1******4567;ext=1');
  });

  it('leaves SIDs, short numbers and timestamps in text alone', () => {
    const sid = 'CA00000000000000000000000000000001';
    expect(maskPhones(sid)).toBe(sid);
    expect(maskPhones('WT0123456789abcdef0123456789abcdef')).toBe(
      'WT0123456789abcdef0123456789abcdef',
    );
    expect(maskPhones('order 1234567, seq 42')).toBe('order 1234567, seq 42');
    expect(maskPhones('2026-12-01T05:18:28.123Z')).toBe('2026-12-01T05:18:28.123Z');
  });

  it('masks every string of a JSON value, keys included, and the timeline rows built from it', () => {
    expect(
      maskDeep({ from: '+15551234567', list: ['+15559876543', 3], '+15550001111': true }),
    ).toEqual({
      from: '+1******4567',
      list: ['+1******6543', 3],
      '+1******1111': true,
    });
    const rows = buildTimeline([
      {
        at: 1,
        kind: 'event',
        name: 'agent.registered',
        state: 's',
        detail: { source: 'api', caller: '+15551234567' },
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('5551234567');
  });
});
