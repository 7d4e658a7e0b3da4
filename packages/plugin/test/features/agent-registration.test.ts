import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bothLegs, startPlugin, voiceTask } from '../fixtures/plugin.ts';
import { CONF } from '../fixtures/sids.ts';
import { registration } from '../fixtures/snapshots.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('afterAcceptTask (agent-registration)', () => {
  it('registers once Flex shows both legs, with the Flex SSO token', async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask(), { emit: false });
    await plugin.flex.Actions.invokeAction('AcceptTask', { sid: task.sid });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(plugin.http.posts()).toHaveLength(0);

    task.conference = bothLegs();
    await vi.advanceTimersByTimeAsync(300);
    expect(plugin.http.posts()).toEqual([
      {
        method: 'POST',
        path: `/conferences/${CONF}/agents`,
        headers: { Authorization: 'Bearer sso-token', 'Content-Type': 'application/json' },
        body: registration,
      },
    ]);
  });

  it("uses the user's token without SSO and retries a server error", async () => {
    const plugin = startPlugin({ ssoToken: null, token: 'plain-token' });
    plugin.http.state.status = 503;
    const task = plugin.addTask(voiceTask({ conference: bothLegs() }), { emit: false });
    await plugin.flex.Actions.invokeAction('AcceptTask', { sid: task.sid });
    await vi.advanceTimersByTimeAsync(0);
    plugin.http.state.status = null;
    await vi.advanceTimersByTimeAsync(500);
    expect(plugin.http.posts()).toHaveLength(2);
    expect(plugin.http.posts()[1]?.headers['Authorization']).toBe('Bearer plain-token');
  });

  it('keeps retrying a 429 or an unreachable server for about 20 s, then stops', async () => {
    const plugin = startPlugin();
    plugin.http.state.status = 429;
    const task = plugin.addTask(voiceTask({ conference: bothLegs() }), { emit: false });
    await plugin.flex.Actions.invokeAction('AcceptTask', { sid: task.sid });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(plugin.http.posts().length).toBeGreaterThan(3);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(plugin.http.posts()).toHaveLength(8);
  });

  it('does not retry a refusal (403)', async () => {
    const plugin = startPlugin();
    plugin.http.state.status = 403;
    const task = plugin.addTask(voiceTask({ conference: bothLegs() }), { emit: false });
    await plugin.flex.Actions.invokeAction('AcceptTask', { sid: task.sid });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(plugin.http.posts()).toHaveLength(1);
  });

  it('gives up at the bound when the legs never show, and says so', async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask(), { emit: false });
    await plugin.flex.Actions.invokeAction('AcceptTask', { sid: task.sid });
    await vi.advanceTimersByTimeAsync(16_000);
    expect(plugin.http.posts()).toHaveLength(0);
    expect(plugin.log).toHaveBeenCalledWith(expect.stringMatching(/no conference legs/));
  });
});
