import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPlugin, voiceTask } from '../fixtures/plugin.ts';
import {
  CONF,
  OTHER_WORKER,
  PING_RESERVATION,
  PING_TASK,
  RECONNECT_RESERVATION,
  RECONNECT_TASK,
  SERVER,
  WORKER,
} from '../fixtures/sids.ts';

const ping = (workerSid = WORKER) =>
  voiceTask({
    taskSid: PING_TASK,
    sid: PING_RESERVATION,
    taskChannelUniqueName: 'default',
    attributes: { name: 'Recovery Ping', disconnectedWorkerSid: workerSid, conferenceSid: CONF },
  });
const reconnect = () =>
  voiceTask({
    taskSid: RECONNECT_TASK,
    sid: RECONNECT_RESERVATION,
    attributes: { isReconnect: true, targetWorkerSid: WORKER },
  });
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Lets the invoked actions run their listeners to the end. */
const settle = () => vi.advanceTimersByTimeAsync(0);
const actions = (plugin: ReturnType<typeof startPlugin>) =>
  plugin.flex.Actions.invocations.map((i) => [i.name, i.payload['sid']]);
const accepted = (plugin: ReturnType<typeof startPlugin>) =>
  plugin.flex.Actions.invocations
    .filter((i) => i.name === 'AcceptTask')
    .map((i) => i.payload['sid']);

describe('reservationCreated (auto-accept)', () => {
  it("accepts this worker's Recovery Ping and reconnect task", async () => {
    const plugin = startPlugin();
    plugin.addTask(ping());
    plugin.addTask(reconnect());
    await settle();
    expect(accepted(plugin)).toEqual([PING_RESERVATION, RECONNECT_RESERVATION]);
    expect(plugin.tasks.get(PING_RESERVATION)?.status).toBe('accepted');
  });

  it('tells the server the ping was accepted, after Flex accepted it', async () => {
    const plugin = startPlugin();
    plugin.addTask(ping());
    await settle();
    expect(plugin.http.posts()).toEqual([
      {
        method: 'POST',
        path: `/conferences/${CONF}/agents/${WORKER}/ping-accepted`,
        headers: { Authorization: 'Bearer sso-token', 'Content-Type': 'application/json' },
        body: { taskSid: PING_TASK, reservationSid: PING_RESERVATION },
      },
    ]);
  });

  it('leaves the report to Event Streams when the server cannot take it', async () => {
    const plugin = startPlugin();
    plugin.http.state.status = 503;
    plugin.addTask(ping());
    await settle();
    expect(plugin.tasks.get(PING_RESERVATION)?.status).toBe('accepted');
    expect(plugin.http.posts()).toHaveLength(1);
    expect(plugin.log).toHaveBeenCalledWith(
      expect.stringMatching(/reporting the accepted ping failed/),
      expect.anything(),
    );
  });

  it('leaves the ping of another worker and ordinary calls to the agent', async () => {
    const plugin = startPlugin();
    plugin.addTask(ping(OTHER_WORKER));
    plugin.addTask(voiceTask());
    await settle();
    expect(accepted(plugin)).toEqual([]);
  });

  it('accepts a ping that was already waiting when the page loaded', async () => {
    const plugin = startPlugin({ seed: [ping()] });
    await settle();
    expect(accepted(plugin)).toEqual([PING_RESERVATION]);
  });

  it('can be switched off in the Flex configuration', async () => {
    const plugin = startPlugin({
      lifeline: { serverUrl: SERVER, autoAcceptPing: false, autoAcceptReconnect: false },
    });
    plugin.addTask(ping());
    plugin.addTask(reconnect());
    await settle();
    expect(accepted(plugin)).toEqual([]);
  });

  it('brings the reconnected call to the front: AcceptTask, then SelectTask by reservation SID', async () => {
    const plugin = startPlugin();
    plugin.addTask(reconnect());
    await settle();
    expect(actions(plugin)).toEqual([
      ['AcceptTask', RECONNECT_RESERVATION],
      ['SelectTask', RECONNECT_RESERVATION],
    ]);
    expect(plugin.selected).toEqual([RECONNECT_RESERVATION]);
  });

  it("waits until Flex's store has the task before accepting", async () => {
    const plugin = startPlugin();
    plugin.addReservationOnly(reconnect());
    await settle();
    expect(accepted(plugin)).toEqual([]);
    plugin.addTask(reconnect(), { emit: false });
    await settle();
    expect(accepted(plugin)).toEqual([RECONNECT_RESERVATION]);
  });

  it('waits for the voice client to register before accepting a call', async () => {
    const plugin = startPlugin();
    plugin.voiceClient.state = 'unregistered';
    plugin.addTask(reconnect());
    await vi.advanceTimersByTimeAsync(2_000);
    expect(accepted(plugin)).toEqual([]);
    plugin.voiceClient.register();
    await settle();
    expect(actions(plugin)).toEqual([
      ['AcceptTask', RECONNECT_RESERVATION],
      ['SelectTask', RECONNECT_RESERVATION],
    ]);
  });

  it('gives up on a task Flex never lists, saying so (the modal still offers it)', async () => {
    const plugin = startPlugin();
    plugin.addReservationOnly(reconnect());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(accepted(plugin)).toEqual([]);
    expect(plugin.log).toHaveBeenCalledWith(
      expect.stringMatching(/never listed the reconnect task/),
    );
  });
});
