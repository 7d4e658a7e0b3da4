import { defineProject } from 'vitest/config';

/**
 * End-to-end scenarios: the simulator, Lifeline's server and real Redis (REDIS_URL, default
 * redis://127.0.0.1:6379). `npx vitest run --project e2e`.
 */
export default defineProject({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
