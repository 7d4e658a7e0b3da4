import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { launchOptions } from '../../src/browser/chromium.ts';
import type { Stack } from '../../src/stack/stack.ts';
import { startStack } from '../../src/stack/stack.ts';
import type { Bridge } from './bridge.ts';
import { startBridge } from './bridge.ts';

/**
 * Headless Chromium on the harness page (served by Vite), with the stack behind it (the
 * simulator and Lifeline's server in this process, on the embedded in-memory store) and the
 * bridge between the page's fake Flex and the simulator. Only the page stands in for Flex.
 * The system's Chromium when there is one, else the one from npm (src/browser/chromium.ts);
 * playwright-core only drives it.
 */
export const artifacts = fileURLToPath(new URL('../../../../artifacts/', import.meta.url));

export interface BrowserSession {
  stack: Stack;
  /** The worker whose desk the harness page shows (Alice). */
  workerSid: string;
  bridge: Bridge;
  browser: Browser;
  /** The harness URL for the stack's worker; with `bundle` (a file path) it loads that build. */
  harnessUrl(bundle?: string): string;
  close(): Promise<void>;
}

export async function startBrowserSession(): Promise<BrowserSession> {
  const launch = await launchOptions();
  mkdirSync(artifacts, { recursive: true });
  const vite = await createServer({
    configFile: fileURLToPath(new URL('../../harness/vite.config.ts', import.meta.url)),
    server: { port: 0, strictPort: false },
  });
  await vite.listen();
  const pageUrl = vite.resolvedUrls?.local[0] ?? '';
  const origin = new URL(pageUrl).origin;
  const stack = await startStack({
    redisUrl: null,
    flexOrigin: origin,
    // A real page takes real time to load and reload: Lifeline's production timeouts.
    pingTimeoutS: 15,
    reconnectTimeoutS: 60,
  });
  const worker = stack.sim.workspace.addWorker({ friendlyName: 'Alice' });
  const bridge = await startBridge({ sim: stack.sim, origin });
  const browser = await chromium.launch(launch);
  return {
    stack,
    workerSid: worker.sid,
    bridge,
    browser,
    harnessUrl(bundle) {
      const query = new URLSearchParams({
        server: stack.serverUrl,
        bridge: bridge.url,
        worker: worker.sid,
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
