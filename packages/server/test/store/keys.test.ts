import { describe, expect, it } from 'vitest';
import { KeyLayout, member, shardOf, shardTag, splitMember } from '../../src/store/keys.ts';
import { SHARD_COUNT } from '../../src/store/types.ts';

describe('key layout', () => {
  it('pins the shard function: changing it would lose live conferences', () => {
    expect(shardOf('CF0123456789abcdef0123456789abcdef')).toBe(7);
    expect(shardOf('CFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBe(5);
    expect(shardOf('CF1')).toBe(14);
  });

  it('spreads hex SIDs evenly over the shards', () => {
    const counts = new Array<number>(SHARD_COUNT).fill(0);
    for (let i = 0; i < 4800; i += 1) {
      const sid = `CF${(i * 2654435761).toString(16).padStart(32, '0')}`;
      counts[shardOf(sid)] = (counts[shardOf(sid)] ?? 0) + 1;
    }
    expect(Math.min(...counts)).toBeGreaterThan(200);
    expect(Math.max(...counts)).toBeLessThan(400);
  });

  it("puts a conference's keys under its shard's hash tag, with the shard queues", () => {
    const layout = new KeyLayout();
    const sid = 'CF0123456789abcdef0123456789abcdef';
    const tag = shardTag(shardOf(sid));
    expect(tag).toBe('{s07}');
    expect(layout.conference(sid)).toEqual({
      state: `ll:{s07}:c:${sid}:state`,
      timeline: `ll:{s07}:c:${sid}:timeline`,
      seen: `ll:{s07}:c:${sid}:seen`,
      done: `ll:{s07}:c:${sid}:done`,
      timers: `ll:{s07}:c:${sid}:timers`,
      indexes: `ll:{s07}:c:${sid}:indexes`,
    });
    expect(Object.values(layout.shard(7)).every((key) => key.startsWith('ll:{s07}:'))).toBe(true);
    expect(layout.index('task:WT1')).toBe('ll:{idx}:task:WT1');
    // Routing indexes are fields of bucket hashes in the same slot (routing-index.ts).
    expect(layout.indexBucket('task:WT1')).toMatch(/^ll:\{idx\}:ix:[0-9a-z]{1,2}$/);
  });

  it('refuses SIDs and prefixes that would break members or hash tags', () => {
    const layout = new KeyLayout('app');
    for (const sid of ['', 'CF|1', 'CF{1}', 'CF 1']) expect(() => layout.conference(sid)).toThrow();
    for (const prefix of ['', '{ll}', 'l l']) expect(() => new KeyLayout(prefix)).toThrow();
  });

  it('splits members at the first separator, so effect keys may contain it', () => {
    expect(splitMember(member('CF1', 'key|with|bars'))).toEqual(['CF1', 'key|with|bars']);
    expect(splitMember('no-separator')).toBeNull();
  });
});
