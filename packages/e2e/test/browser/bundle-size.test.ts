// @vitest-environment node
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDuringCall } from './refresh-during-call.ts';
import type { BrowserSession } from './session.ts';
import { startBrowserSession } from './session.ts';

/**
 * Builds the plugin with Twilio's own toolchain (what `twilio flex:plugins:deploy` runs),
 * keeps what every agent downloads small, and runs that very bundle in Chromium. React,
 * ReactDOM, Redux and ReactRedux are externals that Flex provides; the budget covers our
 * code, xstate and the machine.
 */
const pluginDir = dirname(createRequire(import.meta.url).resolve('plugin-lifeline/package.json'));
// flex-plugin build names the bundle after the package (the Flex CLI's plugin name).
const bundle = `${pluginDir}/build/plugin-lifeline.js`;
const BUDGET_GZIPPED = 40 * 1024;

let session: BrowserSession | undefined;
beforeAll(async () => {
  await promisify(execFile)('npx', ['flex-plugin', 'build'], {
    cwd: pluginDir,
    env: { ...process.env, CI: 'true', FLEX_APP_LIFELINE_URL: 'https://lifeline.example' },
    timeout: 230_000,
  });
  session = await startBrowserSession();
}, 240_000);
afterAll(async () => session?.close());

describe('the built plugin bundle (flex-plugin build)', () => {
  it('stays under 40 KB gzipped, with Flex-provided libraries left external', () => {
    const code = readFileSync(bundle);
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.info(`plugin bundle: ${code.length} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(BUDGET_GZIPPED);
    const text = code.toString('utf8');
    expect(text).toContain('e.exports=React}');
    expect(text).not.toContain('react-dom.production');
    // The build-time fallback for the server URL is baked in.
    expect(text).toContain('https://lifeline.example');
  });

  it(
    'runs in Chromium: refresh, modal, Complete blocked, recovered',
    { timeout: 90_000 },
    async () => {
      if (session === undefined) throw new Error('no browser session');
      await refreshDuringCall(session, session.harnessUrl(bundle), 'plugin-bundle-recovery');
    },
  );
});
