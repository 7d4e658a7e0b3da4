import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * A page that runs the plugin against the shared Flex fake, for the browser test and for
 * looking at the modal by hand (`pnpm --filter @lifeline/plugin harness`).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: {
      '@twilio/flex-ui': fileURLToPath(new URL('../test/fakes/flex-ui.ts', import.meta.url)),
    },
  },
  server: { host: '127.0.0.1' },
  logLevel: 'warn',
});
