import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { useHarness } from '../support/context.ts';
import { CONF, sid } from '../support/payloads.ts';
import { launchChromium } from './chromium.ts';
import { SUPERVISOR_TOKEN, refreshRecovery, storedState } from './recovery.ts';

const ARTIFACTS = fileURLToPath(new URL('../../../../artifacts/', import.meta.url));

describe('the inspector in headless Chromium', () => {
  const h = useHarness('memory');
  let browser: Browser | null = null;
  afterEach(async () => {
    await browser?.close();
    browser = null;
  });

  it(
    'shows each state of a recovery as it happens, live, without a reload',
    { timeout: 90_000 },
    async () => {
      h.twilio.tokens.set(SUPERVISOR_TOKEN, { worker_sid: sid('WK', 901), roles: ['supervisor'] });
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const origin = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      const [setUp, ...rest] = refreshRecovery(h.app, h.twilio);
      await setUp?.run();

      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const offsite: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(origin)) offsite.push(request.url());
      });
      await page.goto(`${origin}/inspect?token=${SUPERVISOR_TOKEN}`);
      // The token left the address bar before anything else ran.
      expect(page.url()).toBe(`${origin}/inspect`);
      const row = page.locator(`tr[data-sid="${CONF}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain(await storedState(h.app));
      await row.locator('a').click();
      await page
        .locator('[data-testid="state"]')
        .filter({ hasText: await storedState(h.app) })
        .waitFor();
      await page.evaluate(() => {
        (globalThis as { inspectorMarker?: boolean }).inspectorMarker = true;
      });

      const seen: string[] = [await storedState(h.app)];
      for (const step of rest) {
        await step.run();
        const state = await storedState(h.app);
        // The stream brings the change: the facts and the highlighted chart state follow.
        await page
          .locator('[data-testid="state"]')
          .filter({ hasText: new RegExp(`^${state}$`) })
          .waitFor({ timeout: 10_000 });
        await page.locator(`.state.current[data-state="${state}"]`).waitFor({ timeout: 10_000 });
        await page
          .locator(`tr.transition[data-to="${state}"]`)
          .first()
          .waitFor({ timeout: 10_000 });
        if (seen.at(-1) !== state) seen.push(state);
      }
      // Every state the server passed through (the timeline's transitions) was shown.
      const transitions = await page
        .locator('tr.transition')
        .evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-to')));
      expect(transitions.slice(-seen.length)).toEqual(seen);
      expect(seen.length).toBeGreaterThanOrEqual(4);
      expect(
        await page.evaluate(() => (globalThis as { inspectorMarker?: boolean }).inspectorMarker),
      ).toBe(true);
      expect(await page.locator('tr.out.done').count()).toBeGreaterThan(3);
      expect(await page.locator('.chart svg path[marker-end]').count()).toBeGreaterThan(3);
      expect(offsite).toEqual([]);
      expect(await page.content()).not.toContain(SUPERVISOR_TOKEN);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}inspector-conference.png`, fullPage: true });
      await page.goto(`${origin}/inspect#/`);
      await page.locator(`tr[data-sid="${CONF}"]`).waitFor();
      await page.screenshot({ path: `${ARTIFACTS}inspector-list.png` });

      // Filtering by state: the options come from the chart; the row stays for its own state only.
      const final = await storedState(h.app);
      const options = await page
        .locator('[data-testid="filter-state"] option')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('value') ?? ''));
      expect(options).toContain(final);
      const other = options.find((value) => value !== '' && value !== final) ?? '';
      await page.selectOption('[data-testid="filter-state"]', other);
      await page.click('form.filters button');
      await page.locator('.pager').filter({ hasText: 'no conferences' }).waitFor();
      expect(await page.locator(`tr[data-sid="${CONF}"]`).count()).toBe(0);
      await page.selectOption('[data-testid="filter-state"]', final);
      await page.click('form.filters button');
      await page.locator(`tr[data-sid="${CONF}"]`).waitFor();
    },
  );
});
