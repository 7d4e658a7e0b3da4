// @vitest-environment node
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOptions } from '../../src/browser/chromium.ts';
import { buildPages } from './flex-runtime/build-pages.ts';
import type { Outcome, ScenarioName } from './flex-runtime/contract-scenarios.ts';
import { servePages } from './flex-runtime/serve-pages.ts';
import { CALL, OTHER } from './flex-runtime/sids.ts';
import { artifacts } from './session.ts';

/**
 * Flex's own runtime: the real `@twilio/flex-ui` 2.17.1 bundle in headless Chromium. Its
 * Actions framework runs without a Manager, so (1) a contract test makes the same calls on
 * the real Actions and on the plugin's fake and compares the answers, and (2) the plugin,
 * loaded through its real entry, has its listeners in the real Actions through a reload.
 *
 * What cannot run offline: `Manager.create(config)` logs in to Twilio (it asks Twilio for the
 * account's configuration first, then the TaskRouter SDK's Worker, the Voice SDK Device and
 * Twilsock open their own connections to Twilio's hosts), and `TaskHelper` and every task
 * action's payload update function need the store it builds: they throw "FlexModule not
 * initialized" (checked below). So Flex's store, TaskHelper and workerClient stay the fake's.
 */
interface ContractPage {
  both(): Promise<Record<ScenarioName, { real: Outcome; fake: Outcome }>>;
  withoutManager(): Promise<{ version: string; getTaskByTaskSid: string; acceptTask: string }>;
}
interface Recorded {
  method: string;
  path: string;
  body: unknown;
}
interface PluginPage {
  reloaded: boolean;
  invoke(name: string, payload: Record<string, unknown>): Promise<string>;
  requests(): Recorded[];
  sent(): { action: string; payload: Record<string, unknown> }[];
  lookups(): string[];
  status(reservationSid: string): string | null;
}

let browser: Browser | undefined;
let pages: Awaited<ReturnType<typeof servePages>> | undefined;
beforeAll(async () => {
  const outdir = mkdtempSync(`${tmpdir()}/flex-runtime-`);
  await buildPages(outdir);
  pages = await servePages(outdir);
  browser = await chromium.launch(await launchOptions());
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

async function open(page: string, query = ''): Promise<Page> {
  if (browser === undefined || pages === undefined) throw new Error('no browser');
  const tab = await browser.newPage({ viewport: { width: 1024, height: 640 } });
  // Only loopback: the Flex bundle reaches for Twilio's hosts at load; those requests fail here.
  await tab.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
  await tab.goto(pages.url(page, query));
  await tab.waitForFunction(
    (name) => name in window,
    page.replace(/-(\w)/, (_, c: string) => c.toUpperCase()),
  );
  return tab;
}

const evaluate = <T, R>(page: Page, name: string, run: (api: T) => R | Promise<R>) =>
  page.evaluate(
    ({ name, source }) => {
      const api = (window as unknown as Record<string, unknown>)[name];
      return (new Function('api', `return (${source})(api)`) as (api: unknown) => unknown)(api);
    },
    { name, source: run.toString() },
  ) as Promise<R>;

describe('Flex Actions contract: the real bundle and the plugin fake answer alike', () => {
  let results: Record<ScenarioName, { real: Outcome; fake: Outcome }>;
  let page: Page;
  beforeAll(async () => {
    page = await open('contract-page');
    results = await evaluate<ContractPage, typeof results>(page, 'contractPage', (api) =>
      api.both(),
    );
  }, 60_000);
  afterAll(async () => page.close());

  it('before-listeners run in parallel', () => {
    const { real, fake } = results['parallel before-listeners'];
    expect(real.log).toEqual([
      'first started',
      'second started',
      'first finished',
      'action {"n":1}',
    ]);
    expect(fake).toEqual(real);
  });

  it('a throwing before-listener is logged and the action goes on (the listeners after it are skipped)', () => {
    const { real, fake } = results['a throwing before-listener'];
    expect(real.settled).toBe('resolved "done"');
    expect(real.log).toEqual(['first', 'second throws', 'action {"n":1}', 'after']);
    expect(fake).toEqual(real);
  });

  it('a rejecting before-listener is logged and the action goes on', () => {
    const { real, fake } = results['a rejecting before-listener'];
    expect(real.settled).toBe('resolved "done"');
    expect(fake).toEqual(real);
  });

  it('abortFunction cancels: no action, no after-listeners, invokeAction rejects', () => {
    const { real, fake } = results['abortFunction'];
    expect(real.settled).toBe('rejected Action <name> cancelled by before event');
    expect(real.log).not.toContain('after');
    expect(fake).toEqual(real);
  });

  it('after-listeners get only the payload', () => {
    const { real, fake } = results['after-listener arguments'];
    expect(real.log).toContain('after got 1: [{"n":1}]');
    expect(fake).toEqual(real);
  });

  it('the payload update function runs before every listener and the action', () => {
    const { real, fake } = results['payload update function'];
    expect(real.log).toEqual([
      'before {"n":1,"updated":true}',
      'action {"n":1,"updated":true}',
      'after {"n":1,"updated":true}',
    ]);
    expect(fake).toEqual(real);
  });

  it('a failing action body rejects invokeAction and skips the after-listeners', () => {
    const { real, fake } = results['a failing action body'];
    expect(real).toEqual({ log: ['action throws'], settled: 'rejected (body failed)' });
    expect(fake).toEqual(real);
  });

  it('TaskHelper and the task actions need Manager.create (cited, cannot run offline)', async () => {
    const real = await evaluate<ContractPage, Awaited<ReturnType<ContractPage['withoutManager']>>>(
      page,
      'contractPage',
      (api) => api.withoutManager(),
    );
    expect(real.version).toBe('2.17.1');
    expect(real.getTaskByTaskSid).toBe('FlexModule not initialized');
    // AcceptTask's payload update function resolves `sid` through TaskHelper.
    expect(real.acceptTask).toBe('FlexModule not initialized');
  });
});

describe('the plugin in the real Flex Actions, through a reload', () => {
  it('registers on accept, sends the unload beacon, and after the reload blocks wrap-up and complete of the recovering call only', async () => {
    const page = await open('plugin-page', '?scene=call');
    const run = <R>(work: (api: PluginPage) => R | Promise<R>) =>
      evaluate<PluginPage, R>(page, 'pluginPage', work);
    const accept = await page.evaluate(
      (sid) =>
        (window as unknown as { pluginPage: PluginPage }).pluginPage.invoke('AcceptTask', { sid }),
      CALL.reservation,
    );
    expect(accept).toBe('resolved');
    // The plugin's beforeAcceptTask subscribed the server to the conference's events.
    const sent = await run((api) => api.sent());
    const options = sent.find((s) => s.action === 'AcceptTask')?.payload['conferenceOptions'];
    expect(options).toMatchObject({
      conferenceStatusCallback: expect.stringContaining('https://lifeline.example') as unknown,
      endConferenceOnCustomerExit: true,
      // Real Flex pre-fills true; the plugin's listener, running after that, turns it off.
      endConferenceOnExit: false,
    });
    await page.waitForFunction(() =>
      (window as unknown as { pluginPage: PluginPage }).pluginPage
        .requests()
        .some((r) => r.method === 'POST' && r.path.endsWith('/agents')),
    );
    // A task SID finds nothing in Flex: AcceptTask's update function fails on it.
    const byTaskSid = await page.evaluate(
      (sid) =>
        (window as unknown as { pluginPage: PluginPage }).pluginPage.invoke('AcceptTask', { sid }),
      CALL.task,
    );
    expect(byTaskSid).toMatch(/^rejected/);

    await page.reload();
    await page.waitForFunction(() => 'pluginPage' in window);
    const requests = await run((api) => api.requests());
    expect(requests.map((r) => `${r.method} ${r.path}`)).toContain(
      `BEACON /conferences/${CALL.conference}/agents/WK00000000000000000000000000000a11/unload`,
    );
    const dialog = page.getByRole('alertdialog', { name: 'Checking that you are back' });
    await dialog.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${artifacts}flex-runtime-blocked.png` });

    const invoke = (name: string, sid: string) =>
      page.evaluate(
        ([action, reservationSid]) =>
          (window as unknown as { pluginPage: PluginPage }).pluginPage.invoke(action ?? '', {
            sid: reservationSid,
          }),
        [name, sid],
      );
    expect(await invoke('CompleteTask', CALL.reservation)).toBe(
      'rejected: Action CompleteTask cancelled by before event',
    );
    expect(await invoke('WrapupTask', CALL.reservation)).toBe(
      'rejected: Action WrapupTask cancelled by before event',
    );
    // The agent's other task is not held.
    expect(await invoke('CompleteTask', OTHER.reservation)).toBe('resolved');
    const status = await page.evaluate(
      (sid) => (window as unknown as { pluginPage: PluginPage }).pluginPage.status(sid),
      CALL.reservation,
    );
    expect(status).toBe('wrapping');
    // Every lookup went by reservation SID.
    const lookups = await run((api) => api.lookups());
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((sid) => sid.startsWith('WR'))).toBe(true);
    await page.close();
  });

  it('a hang-up, End call for all and a cold transfer tell the server; a warm transfer does not', async () => {
    const page = await open('plugin-page', '?scene=graceful');
    const invoke = (name: string, payload: Record<string, unknown>) =>
      page.evaluate(
        ({ action, input }) =>
          (window as unknown as { pluginPage: PluginPage }).pluginPage.invoke(action, input),
        { action: name, input: payload },
      );
    const sid = CALL.reservation;
    expect(await invoke('TransferTask', { sid, targetSid: 'WK2', options: { mode: 'WARM' } })).toBe(
      'resolved',
    );
    expect(await invoke('TransferTask', { sid, targetSid: 'WK2', options: { mode: 'COLD' } })).toBe(
      'resolved',
    );
    expect(await invoke('HangupCall', { sid })).toBe('resolved');
    expect(await invoke('EndConferenceForAll', { sid })).toBe('resolved');
    const posts = (
      await evaluate<PluginPage, Recorded[]>(page, 'pluginPage', (api) => api.requests())
    )
      .filter((r) => r.method === 'POST')
      .map((r) => r.path.replace(/^.*\//, ''));
    expect(posts).toEqual(['transfer', 'hangup', 'hangup']);
    await page.close();
  });
});

describe('every modal state, screenshotted', () => {
  it('renders each state the statechart shows the agent to artifacts/modal-<state>.png', async () => {
    const page = await open('modal-page');
    const states = await evaluate<{ states(): string[] }, string[]>(page, 'modalPage', (api) =>
      api.states(),
    );
    expect(states.length).toBeGreaterThanOrEqual(8);
    for (const state of states) {
      await page.evaluate(
        (name) =>
          (window as unknown as { modalPage: { show(s: string): void } }).modalPage.show(name),
        state,
      );
      const dialog = page.locator(`[data-state="${state}"]`);
      await dialog.waitFor();
      expect(['dialog', 'alertdialog']).toContain(await dialog.getAttribute('role'));
      await page.screenshot({ path: `${artifacts}modal-${state}.png` });
    }
    await page.close();
  });
});
