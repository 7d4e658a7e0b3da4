import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each package's vitest.config.ts, plus the browser tests (packages/e2e), their own project.
    projects: ['packages/*', 'packages/e2e/vitest.browser.config.ts'],
  },
});
