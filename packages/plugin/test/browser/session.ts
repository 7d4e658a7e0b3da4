import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { expect } from 'vitest';
import { CONF, TASK, WORKER } from '../fixtures/sids.ts';
import { reportAt } from '../fixtures/snapshots.ts';
import { startFakeServer } from './fakeServer.ts';

/**
 * Headless Chromium on the harness page (served by Vite) with a fake Lifeline server.
 * Chromium comes from Debian (`apt-get install -y chromium`); playwright-core only drives it.
 */
const CHROMIUM = '/usr/bin/chromium';
export const artifacts = fileURLToPath(new URL('../../../../artifacts/', import.meta.url));

export async function startBrowserSession() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(artifacts, { recursive: true });
  const server = await startFakeServer();
  const vite = await createServer({
    configFile: fileURLToPath(new URL('../../harness/vite.config.ts', import.meta.url)),
    server: { port: 0, strictPort: false },
  });
  await vite.listen();
  const browser: Browser = await chromium.launch({
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
    server,
    browser,
    /** The harness URL; with `bundle` (a file path) the page loads that built bundle. */
    harnessUrl(bundle?: string) {
      const query = new URLSearchParams({
        server: server.url,
        worker: WORKER,
        task: TASK,
        conference: CONF,
      });
      if (bundle !== undefined) query.set('bundle', server.serveFile('/plugin.js', bundle));
      return `${vite.resolvedUrls?.local[0] ?? ''}?${query.toString()}`;
    },
    async close() {
      await browser.close();
      await vite.close();
      await server.close();
    },
  };
}

type Session = Awaited<ReturnType<typeof startBrowserSession>>;

const complete = (page: Page) =>
  page.evaluate(() =>
    (
      window as unknown as { lifelineHarness: { complete(): Promise<string> } }
    ).lifelineHarness.complete(),
  );

/**
 * The agent reloads during a call: the unload beacon reaches the server, the modal appears
 * after the reload, Complete is blocked, and the modal closes once the snapshot says recovered.
 */
export async function refreshDuringCall(session: Session, url: string, screenshots: string) {
  const { server, browser } = session;
  const page = await browser.newPage({ viewport: { width: 1024, height: 640 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.getByText('accepted').waitFor();

  // The server starts the recovery when the page's unload beacon arrives.
  server.whenUnloaded(() => server.publish(reportAt('pinging', 1)));
  await page.reload();
  await expect.poll(() => server.received.some((r) => r.path.endsWith('/unload'))).toBe(true);
  const beacon = server.received.find((r) => r.path.endsWith('/unload'));
  expect(beacon?.path).toBe(`/api/v1/conferences/${CONF}/agents/${WORKER}/unload`);
  expect(JSON.parse(beacon?.body ?? '{}')).toEqual({ token: 'sso-token' });

  const dialog = page.getByRole('dialog', { name: 'Checking that you are back' });
  await dialog.waitFor();
  expect(await dialog.getAttribute('aria-modal')).toBe('true');
  expect(server.received.some((r) => r.path === `/api/v1/workers/${WORKER}/recovery`)).toBe(true);
  await expect
    .poll(() => server.received.some((r) => r.path.includes('/stream?token=sso-token')))
    .toBe(true);

  expect(await complete(page)).toMatch(/CompleteTask blocked/);
  expect(await page.locator('[data-status]').textContent()).toBe('wrapping');
  await page.screenshot({ path: `${artifacts}${screenshots}-modal.png` });

  server.publish(reportAt('recovered', 2));
  await page.getByRole('dialog', { name: 'Back with the customer' }).waitFor();
  await page.screenshot({ path: `${artifacts}${screenshots}-recovered.png` });
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 });
  expect(await complete(page)).toMatch(/done: completed/);
  expect(errors).toEqual([]);
  await page.close();
}
