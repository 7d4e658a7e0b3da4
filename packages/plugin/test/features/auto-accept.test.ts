import { describe, expect, it } from 'vitest';
import { startPlugin, voiceTask } from '../fixtures/plugin.ts';
import {
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
    attributes: { name: 'Recovery Ping', disconnectedWorkerSid: workerSid },
  });
const reconnect = () =>
  voiceTask({
    taskSid: RECONNECT_TASK,
    sid: RECONNECT_RESERVATION,
    attributes: { isReconnect: true, targetWorkerSid: WORKER },
  });
/** Lets the invoked actions run their listeners to the end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
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
});
