import { describe, expect, it } from 'vitest';
import { dropStories, storyNames } from '../../src/random/plan.ts';
import type { RunResult } from '../../src/random/run.ts';
import { describeResult, randomRuns } from '../../src/random/run.ts';
import { redisUrl } from '../scenarios/stack.ts';

/**
 * A fixed set of seeds, run in parallel in this process: each draws a story, its timings
 * and faults, and must keep every invariant. A failure prints its seed and the call's
 * timeline; `pnpm e2e:random --seed S --runs 1 --scale 0.3` repeats it.
 */
const seeds = Array.from({ length: 25 }, (_, i) => 9000 + i);
/** The realistic profile at 0.3 of real time: the whole set in about a minute. */
const scale = 0.3;

describe('randomized end-to-end runs', () => {
  it('keep every invariant on a fixed set of seeds', async () => {
    const results: RunResult[] = await randomRuns(seeds, { redisUrl, scale, concurrency: 9 });
    const failed = results.filter((r) => r.status === 'fail');
    expect(failed.map(describeResult).join('\n\n')).toBe('');
    // The set covers the stories it claims to (drawn from the seeds, so checked here).
    const drawn = new Set(results.map((r) => r.plan.story));
    expect(drawn.size).toBeGreaterThanOrEqual(8);
    expect([...drawn].every((s) => storyNames.includes(s))).toBe(true);
    expect(results.some((r) => dropStories.has(r.plan.story))).toBe(true);
  }, 240_000);
});
