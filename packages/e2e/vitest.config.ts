import { defineProject } from 'vitest/config';

/**
 * Lifeline end to end, without a browser: the simulator, Lifeline's server, real Redis
 * (REDIS_URL, default redis://127.0.0.1:6379) and the simulated Flex agents running the
 * plugin's core. `npx vitest run --project e2e`. The browser tests are vitest.browser.config.ts.
 */
export default defineProject({
  test: {
    name: 'e2e',
    include: ['test/**/*.test.ts'],
    // The browser tests and the full scale-out run are projects of their own.
    exclude: ['test/browser/**', 'test/scale/**'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
