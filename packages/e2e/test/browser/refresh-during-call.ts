import type { Page } from 'playwright-core';
import { waitFor } from '@lifeline/simulator';
import { steady } from '../../src/scenarios/steps.ts';
import { expect } from 'vitest';
import type { BrowserSession } from './session.ts';
import { artifacts } from './session.ts';

interface Harness {
  complete(taskSid?: string): Promise<string>;
}
const complete = (page: Page, taskSid: string) =>
  page.evaluate(
    (sid) => (window as unknown as { lifelineHarness: Harness }).lifelineHarness.complete(sid),
    taskSid,
  );

/**
 * A customer calls in; the agent accepts in the browser, where the plugin registers with the
 * real server. The page reloads: its call leg drops in the simulator and its beacon reaches
 * the server. After the reload the modal blocks Complete; once the plugin takes the Recovery
 * Ping and the reconnect task, the simulator puts the customer back with the agent, and the
 * modal says so and closes.
 */
export async function refreshDuringCall(session: BrowserSession, url: string, name: string) {
  const { stack, bridge, browser } = session;
  const { sim } = stack;
  const page = await browser.newPage({ viewport: { width: 1024, height: 640 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The plugin logs what it gives up on (console.warn): shown with a failing run.
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error')
      console.info(`[page ${message.type()}] ${message.text()}`);
  });

  const customer = sim.calls.inbound({
    from: '+15551230001',
    workflowSid: stack.setup.voiceWorkflowSid,
    attributes: { from: '+15551230001', direction: 'inbound' },
  });
  const taskSid = customer.taskSid ?? '';
  await page.goto(url);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.locator(`[data-task="${taskSid}"] [data-status]`).getByText('accepted').waitFor();

  // Registered at the server: a drop no longer ends the conference.
  const conference = await waitFor(() => sim.world.conferences.liveByName(taskSid));
  const workerLeg = await waitFor(
    () =>
      [...conference.participants.values()].find((p) => p.label === 'worker' && p.callSid)?.callSid,
  );
  await waitFor(async () => (await stack.api.conference(conference.sid))?.state === 'connected');
  // The agent's leg is the one a reload drops: Flex set its endConferenceOnExit, the server
  // took it back. (The customer's stays as Flex's accept set it: a customer hanging up on a
  // two-party call still ends it, as without Lifeline.) `steady` also waits until every
  // webhook is delivered and every effect has run: Flex sets the agent's flag again on each
  // conference update, and a reload inside that window ends the call, with or without
  // Lifeline, which is not the story here.
  await waitFor(() => conference.participants.size === 2);
  await waitFor(() => bridge.flexHabitApplied(workerLeg), {
    description: "Flex's endConferenceOnExit on the agent's leg",
  });
  await steady(stack, conference.sid);
  await page.screenshot({ path: `${artifacts}${name}-call.png` });

  // The reload. New offers are held from the new page until it has been looked at.
  bridge.holdOffers(true);
  await page.reload();
  await waitFor(() => sim.calls.get(workerLeg).status === 'completed', {
    description: "the agent's leg to drop with the page",
  });
  expect(sim.calls.get(customer.callSid).status).toBe('in-progress');
  // The page's pagehide beacon reached the server (the only source of this event).
  await waitFor(
    async () =>
      (await stack.api.conference(conference.sid))?.timeline.some(
        (e) => e.kind === 'event' && e.name === 'agent.pageUnloaded',
      ),
    { description: 'the unload beacon to reach the server' },
  );

  const dialog = page.getByRole('alertdialog', { name: 'Checking that you are back' });
  await dialog.waitFor({ timeout: 15_000 });
  expect(await dialog.getAttribute('aria-modal')).toBe('true');
  expect(await complete(page, taskSid)).toMatch(/CompleteTask blocked/);
  // Blocked in the page: the task never reached TaskRouter's completion.
  expect(sim.world.taskrouter.tasks.get(taskSid)?.assignmentStatus).toBe('wrapping');
  await page.screenshot({ path: `${artifacts}${name}-modal.png` });

  bridge.holdOffers(false);
  await page
    .getByRole('dialog', { name: 'Back with the customer' })
    .waitFor({ timeout: 20_000 })
    .catch(async (error: unknown) => {
      // Where the recovery stopped, for a failing run.
      const view = await stack.api.conference(conference.sid);
      const steps = view?.timeline.map((e) => `${e.kind} ${e.name}`).join(', ');
      console.info(`recovery at ${view?.state ?? 'none'}: ${steps ?? ''}`);
      console.info(`page: ${await page.locator('main').innerText()}`);
      const tr = sim.world.taskrouter;
      console.info(
        `simulator reservations: ${JSON.stringify(tr.reservations.all().map((r) => [r.taskSid, r.workerSid, r.status]))}`,
      );
      console.info(
        `simulator tasks: ${JSON.stringify(tr.tasks.all().map((t) => [t.sid, t.assignmentStatus, t.taskChannelSid, t.attributes]))}`,
      );
      throw error;
    });
  await page.screenshot({ path: `${artifacts}${name}-recovered.png` });
  expect((await stack.api.conference(conference.sid))?.state).toBe('recovered');
  // The customer never left, and is in a new conference with a new leg of the same agent.
  const back = sim.calls.get(customer.callSid);
  if (back.status !== 'in-progress') {
    console.info(`customer heard: ${JSON.stringify(customer.timeline())}`);
    const v = await stack.api.conference(conference.sid);
    console.info(
      `server timeline: ${JSON.stringify(v?.timeline.map((e) => [e.kind, e.name, e.detail]))}`,
    );
  }
  expect(back.status).toBe('in-progress');
  const now = back.place.kind === 'conference' ? back.place.conferenceSid : null;
  expect(now).not.toBe(conference.sid);
  const agentsNow = [...(sim.world.conferences.get(now ?? '')?.participants.values() ?? [])];
  expect(agentsNow.some((p) => p.label === 'worker' && p.status === 'connected')).toBe(true);
  expect(customer.timeline().ended).toBe(false);

  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 });
  expect(errors).toEqual([]);
  await page.close();
}
