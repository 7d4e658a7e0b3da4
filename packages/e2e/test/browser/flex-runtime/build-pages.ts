import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the real Flex UI for the browser: `@twilio/flex-ui`'s `bundle/twilio-flex.prod.js`
 * is CommonJS with `require`s of its dependencies, so esbuild resolves them (platform
 * browser), and the page defines `process.env.NODE_ENV` first (the bundle reads it at load).
 * Then the test pages (TypeScript, the plugin's source and its fake), each an ES module.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const pluginDir = dirname(createRequire(import.meta.url).resolve('plugin-lifeline/package.json'));
export const PAGES = ['contract-page', 'plugin-page', 'modal-page'] as const;

export async function buildPages(outdir: string): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build({
    stdin: {
      contents: "import * as Flex from '@twilio/flex-ui'; window.RealFlex = Flex;",
      resolveDir: pluginDir,
      loader: 'js',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    outfile: `${outdir}/real-flex.js`,
    logLevel: 'error',
    // The bundle's `process.env.NODE_ENV` checks stay; the page's shim answers them.
  });
  await build({
    entryPoints: PAGES.map((page) => `${here}${page}.ts`),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outdir,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
}
