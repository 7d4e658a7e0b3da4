import { defineProject } from 'vitest/config';

/**
 * The full scale-out run (issue 12 item 5): 500 concurrent calls by default
 * (SCALE_OUT_CONFERENCES), minutes on two cores, so it is its own project, outside `pnpm test`.
 * `pnpm test:scale` from the repository root. The e2e project runs the same test at 20.
 */
export default defineProject({
  // Run from the repository root, the test paths are still this package's.
  root: import.meta.dirname,
  test: {
    name: 'scale',
    include: ['test/scale/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 60_000,
  },
});
