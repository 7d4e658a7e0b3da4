import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { waitFor } from '@lifeline/simulator';
import { launchOptions } from '../../src/browser/chromium.ts';
import { quietObserver } from '../../src/scenarios/observer.ts';
import { refreshAndReturn } from '../../src/scenarios/refresh.ts';
import { addAgent, customerCallsIn } from '../../src/scenarios/steps.ts';
import type { Stack } from '../../src/stack/stack.ts';
import { startStack } from '../../src/stack/stack.ts';
import { artifacts } from './session.ts';

/**
 * The inspector (/inspect) in headless Chromium while a recovery runs in the emulator: a
 * supervisor opens the conference, then the agent's page reloads and the same agent comes
 * back. The page must show every state the server passes through as it happens (pushed by
 * its stream, no reload), with the current state highlighted on the chart.
 */

/** Records each state the page shows, in order, from a MutationObserver inside the page. */
async function recordShownStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const shown: string[] = [];
    (globalThis as { shownStates?: string[] }).shownStates = shown;
    const note = () => {
      const text = document.querySelector('[data-testid="state"]')?.textContent?.trim() ?? '';
      if (text !== '' && shown.at(-1) !== text) shown.push(text);
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

async function shownStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as { shownStates?: string[] }).shownStates ?? []);
}

/** The states the server's timeline moved through, in order, from `from` on. */
function serverStates(timeline: { state?: string }[], from: string): string[] {
  const states: string[] = [];
  for (const entry of timeline) {
    if (entry.state !== undefined && states.at(-1) !== entry.state) states.push(entry.state);
  }
  return states.slice(states.indexOf(from));
}

describe('the inspector in headless Chromium, on a recovery in the emulator', () => {
  let browser: Browser | null = null;
  let stack: Stack | null = null;
  afterEach(async () => {
    await browser?.close();
    await stack?.close();
    browser = null;
    stack = null;
  });

  it('shows each state of a refresh recovery as it happens, and saves screenshots', async () => {
    stack = await startStack({ redisUrl: null });
    const supervisor = stack.sim.workspace.addWorker({
      friendlyName: 'Sam (supervisor)',
      activity: 'Offline',
    });
    const token = stack.sim.tokenFor(supervisor.sid, ['supervisor']);
    const alice = addAgent(stack, 'Alice');
    const connected = await customerCallsIn(stack, alice, quietObserver);
    const origin = stack.serverUrl;

    browser = await chromium.launch(await launchOptions());
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const offsite: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin)) offsite.push(request.url());
    });
    await page.goto(`${origin}/inspect?token=${token}#/conference/${connected.conferenceSid}`);
    // The token leaves the address bar before anything else runs.
    expect(page.url()).not.toContain(token);
    await page
      .locator('[data-testid="state"]')
      .filter({ hasText: /^connected$/ })
      .waitFor();
    await page.locator('.state.current[data-state="connected"]').waitFor();
    await recordShownStates(page);

    // The page stays as it is: everything from here arrives over its stream.
    const report = await refreshAndReturn(
      stack,
      connected,
      quietObserver,
      { awayMs: 1500 },
      'inspector',
    );
    expect(report.outcome).toBe('recovered');
    await page
      .locator('[data-testid="state"]')
      .filter({ hasText: /^recovered$/ })
      .waitFor();
    await page.locator('.state.current[data-state="recovered"]').waitFor();

    const view = await stack.api.conference(connected.conferenceSid);
    const passed = serverStates(view?.timeline ?? [], 'connected');
    // The server went through the recovery's states, and the page showed each, in order.
    expect(passed).toEqual(expect.arrayContaining(['pinging', 'reconnecting', 'recovered']));
    expect(await shownStates(page)).toEqual(passed);
    expect(await page.locator('tr.transition').count()).toBeGreaterThanOrEqual(passed.length - 1);
    expect(offsite).toEqual([]);
    expect(await page.content()).not.toContain(token);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}inspector-conference.png`, fullPage: true });
    await page.goto(`${origin}/inspect#/`);
    const row = page.locator(`tr[data-sid="${connected.conferenceSid}"]`);
    await row.waitFor();
    await waitFor(async () => ((await row.textContent()) ?? '').includes('recovered'), {
      timeoutMs: 10_000,
      description: 'the list shows the recovered conference',
    });
    await page.screenshot({ path: `${artifacts}inspector-list.png` });
  });
});
