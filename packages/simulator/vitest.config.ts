import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'simulator',
    include: ['test/**/*.test.ts'],
    // The end-to-end scenarios are their own project (vitest.e2e.config.ts).
    exclude: ['test/e2e/**'],
    testTimeout: 30_000,
  },
});
