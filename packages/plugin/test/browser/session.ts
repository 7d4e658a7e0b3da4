import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import type { Bridge } from './bridge.ts';
import { startBridge } from './bridge.ts';
import type { Stack } from './stack.ts';
import { startStack } from './stack.ts';

/**
 * Headless Chromium on the harness page (served by Vite), with the simulator and Lifeline's
 * server behind it and the bridge between the page's fake Flex and the simulator.
 * Chromium comes from Debian (`apt-get install -y chromium`); playwright-core only drives it.
 */
const CHROMIUM = '/usr/bin/chromium';
export const artifacts = fileURLToPath(new URL('../../../../artifacts/', import.meta.url));

export interface BrowserSession {
  stack: Stack;
  bridge: Bridge;
  browser: Browser;
  /** The harness URL for the stack's worker; with `bundle` (a file path) it loads that build. */
  harnessUrl(bundle?: string): string;
  close(): Promise<void>;
}

export async function startBrowserSession(): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(artifacts, { recursive: true });
  const vite = await createServer({
    configFile: fileURLToPath(new URL('../../harness/vite.config.ts', import.meta.url)),
    server: { port: 0, strictPort: false },
  });
  await vite.listen();
  const pageUrl = vite.resolvedUrls?.local[0] ?? '';
  const origin = new URL(pageUrl).origin;
  const stack = await startStack(origin);
  const bridge = await startBridge({ sim: stack.sim, origin });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    stack,
    bridge,
    browser,
    harnessUrl(bundle) {
      const query = new URLSearchParams({
        server: stack.serverUrl,
        bridge: bridge.url,
        worker: stack.workerSid,
      });
      if (bundle !== undefined) query.set('bundle', bridge.serveFile('/plugin.js', bundle));
      return `${pageUrl}?${query.toString()}`;
    },
    async close() {
      await browser.close();
      await bridge.close();
      await stack.close();
      await vite.close();
    },
  };
}
