import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPlugin, voiceTask } from '../fixtures/plugin.ts';
import { CONF, PING_RESERVATION, PING_TASK, WORKER } from '../fixtures/sids.ts';
import { reportAt } from '../fixtures/snapshots.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const wrapping = () => voiceTask({ status: 'wrapping' });

async function inRecovery() {
  const plugin = startPlugin({ seed: [wrapping()], recovery: reportAt('pinging', 1) });
  await vi.advanceTimersByTimeAsync(0);
  return plugin;
}

describe('recovery checks (recovery-modal)', () => {
  it('asks the server on load when a call task is wrapping, and follows its stream', async () => {
    const plugin = await inRecovery();
    expect(plugin.http.requests).toMatchObject([
      { method: 'GET', path: `/workers/${WORKER}/recovery` },
    ]);
    expect(plugin.connection.context.recovery.view()?.state).toBe('pinging');
    expect(plugin.streams.last()?.url).toBe(
      `https://lifeline.test/api/v1/conferences/${CONF}/stream?token=sso-token`,
    );
  });

  it('does not ask on load without a wrapping call', async () => {
    const plugin = startPlugin({ seed: [voiceTask({ status: 'accepted' })] });
    await vi.advanceTimersByTimeAsync(0);
    expect(plugin.http.requests).toHaveLength(0);
  });

  it('asks when Flex has not loaded the reservations yet: the server knows', async () => {
    const plugin = startPlugin({ recovery: reportAt('pinging', 1) });
    await vi.advanceTimersByTimeAsync(0);
    expect(plugin.connection.context.recovery.view()?.state).toBe('pinging');
  });

  it('asks again on each new reservation (the ping arrives as one)', async () => {
    const plugin = startPlugin({ seed: [voiceTask({ status: 'accepted' })] });
    plugin.http.state.recovery = reportAt('pinging', 1);
    plugin.addTask(
      voiceTask({
        taskSid: PING_TASK,
        sid: PING_RESERVATION,
        taskChannelUniqueName: 'default',
        attributes: { name: 'Recovery Ping', disconnectedWorkerSid: WORKER },
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(plugin.http.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    expect(plugin.connection.context.recovery.view()?.state).toBe('pinging');
  });
});

describe('beforeWrapupTask and beforeCompleteTask (recovery-modal)', () => {
  it('aborts complete and wrap-up of the original task while the copy says blocking', async () => {
    const plugin = await inRecovery();
    const [task] = plugin.tasks.values();
    if (task === undefined) throw new Error('no task');
    await expect(plugin.flex.Actions.invokeAction('CompleteTask', { task })).rejects.toThrow(
      /cancelled/,
    );
    await expect(plugin.flex.Actions.invokeAction('WrapupTask', { task })).rejects.toThrow(
      /cancelled/,
    );
    expect(task.status).toBe('wrapping');
  });

  it('lets them through once the recovery is no longer blocking', async () => {
    const plugin = await inRecovery();
    const [task] = plugin.tasks.values();
    if (task === undefined) throw new Error('no task');
    plugin.streams.last()?.send(reportAt('escalated', 2));
    await plugin.flex.Actions.invokeAction('CompleteTask', { task });
    expect(task.status).toBe('completed');
  });

  it('never blocks other tasks', async () => {
    const plugin = await inRecovery();
    const other = plugin.addTask(
      voiceTask({ taskSid: 'WTother', sid: 'WRother', status: 'wrapping' }),
      { emit: false },
    );
    await plugin.flex.Actions.invokeAction('CompleteTask', { task: other });
    expect(other.status).toBe('completed');
  });

  it("blocks only the recovering task, not another of the agent's tasks that is wrapping", async () => {
    const plugin = await inRecovery();
    const other = plugin.addTask(
      voiceTask({ taskSid: 'WTother', sid: 'WRother', status: 'wrapping' }),
      { emit: false },
    );
    await plugin.flex.Actions.invokeAction('WrapupTask', { sid: other.sid });
    await plugin.flex.Actions.invokeAction('CompleteTask', { sid: other.sid });
    expect(other.status).toBe('completed');
  });
});

describe('the start-up check (recovery-modal)', () => {
  it('asks again with backoff while the server cannot answer', async () => {
    const plugin = startPlugin({ seed: [wrapping()], status: 503 });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(plugin.http.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
    plugin.http.state.status = null;
    plugin.http.state.recovery = reportAt('pinging', 1);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(plugin.connection.context.recovery.view()?.state).toBe('pinging');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(plugin.http.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
  });

  it('stops after about 30 s of failures', async () => {
    const plugin = startPlugin({ seed: [wrapping()], status: 503 });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(plugin.http.requests.filter((r) => r.method === 'GET')).toHaveLength(6);
  });
});
