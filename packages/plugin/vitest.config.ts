import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Flex UI cannot start without a Flex account: every test uses the one shared fake.
    alias: {
      '@twilio/flex-ui': fileURLToPath(new URL('./test/fakes/flex-ui.ts', import.meta.url)),
    },
  },
  test: {
    name: 'plugin',
    environment: 'jsdom',
    include: ['test/**/*.test.ts?(x)'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
  },
});
