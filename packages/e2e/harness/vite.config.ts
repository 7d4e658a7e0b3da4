import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * A page that runs the plugin (plugin-lifeline's source, or its built bundle) against the
 * plugin's shared Flex fake, for the browser tests and for looking at the modal by hand
 * (`npx pnpm@12.4.2 --filter @lifeline/e2e harness`).
 */
const flexFake = createRequire(import.meta.url).resolve('plugin-lifeline/testing/flex-ui');

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: { '@twilio/flex-ui': flexFake },
  },
  server: { host: '127.0.0.1' },
  logLevel: 'warn',
});
