import { parseArgs } from 'node:util';
import type { StoryName } from '../src/random/plan.ts';
import { storyNames } from '../src/random/plan.ts';
import type { RunResult } from '../src/random/run.ts';
import { describeResult, randomRuns } from '../src/random/run.ts';

/**
 * pnpm e2e:random [--runs N] [--seed S] [--scale X] [--concurrency C] [--story NAME]
 * Each run draws a story, its timings and its faults from its seed (S, S+1, ...), runs it on
 * a fresh stack (simulator, Lifeline's server, real Redis at REDIS_URL) and checks the
 * invariants. A failure prints its seed and the call's timeline; --seed S --runs 1 repeats it.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    seed: { type: 'string' },
    scale: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '6' },
    story: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    `pnpm e2e:random [--runs N] [--seed S] [--scale X] [--concurrency C] [--story ${storyNames.join('|')}]\n`,
  );
  process.exit(0);
}
const runs = Number(values.runs);
const firstSeed =
  values.seed === undefined ? Math.floor(Math.random() * 1_000_000) : Number(values.seed);
const scale = Number(values.scale);
const story = values.story as StoryName | undefined;
if (story !== undefined && !storyNames.includes(story)) {
  process.stderr.write(`unknown story ${story}; one of ${storyNames.join(', ')}\n`);
  process.exit(2);
}
const seeds = Array.from({ length: runs }, (_, i) => firstSeed + i);
const started = Date.now();
process.stdout.write(
  `${runs} runs from seed ${firstSeed}, scale ${scale}, ${values.concurrency} at once\n`,
);
const results = await randomRuns(seeds, {
  redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  scale,
  concurrency: Number(values.concurrency),
  ...(story === undefined ? {} : { story }),
  onResult: (result: RunResult) => {
    process.stdout.write(
      result.status === 'pass'
        ? `pass seed ${result.plan.seed} ${result.plan.story} ${result.durationMs} ms\n`
        : `${describeResult(result)}\n`,
    );
  },
});
const count = (status: RunResult['status']) => results.filter((r) => r.status === status).length;
const byStory = new Map<string, { pass: number; fail: number }>();
for (const r of results) {
  const row = byStory.get(r.plan.story) ?? { pass: 0, fail: 0 };
  row[r.status]++;
  byStory.set(r.plan.story, row);
}
process.stdout.write(
  `\n${results.length} runs in ${Math.round((Date.now() - started) / 1000)} s: ${count('pass')} passed, ${count('fail')} failed\n`,
);
for (const [name, row] of [...byStory].sort()) {
  process.stdout.write(`  ${name.padEnd(22)} pass ${row.pass}  fail ${row.fail}\n`);
}
const failed = results.filter((r) => r.status === 'fail').map((r) => r.plan.seed);
if (failed.length > 0) process.stdout.write(`failed seeds: ${failed.join(' ')}\n`);
process.exit(failed.length > 0 ? 1 : 0);
