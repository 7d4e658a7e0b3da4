import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'packages/simulator/vitest.e2e.config.ts'],
  },
});
