import { defineProject } from 'vitest/config';

/**
 * The plugin in headless Chromium: the harness page (Vite) with the plugin's source or its
 * built bundle, the simulator and Lifeline's server behind it.
 * `npx vitest run --project browser`.
 */
export default defineProject({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 240_000,
  },
});
