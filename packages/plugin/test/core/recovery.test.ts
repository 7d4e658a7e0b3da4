import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRecoveryController } from '../../src/core/index.ts';
import { fakeApi, fakeStreams, flush } from '../fixtures/fakes.ts';
import { OTHER_WORKER, TASK, WORKER } from '../fixtures/sids.ts';
import { reportAt } from '../fixtures/snapshots.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup() {
  const server = fakeApi(null);
  const streams = fakeStreams();
  const controller = createRecoveryController({
    api: server.api,
    workerSid: () => WORKER,
    openStream: streams.openStream,
    pollIntervalMs: 1_000,
  });
  const changes = vi.fn();
  controller.subscribe(changes);
  return { server, streams, controller, changes };
}

describe('recovery controller', () => {
  it('opens nothing while the server reports no recovery', async () => {
    const { controller, streams } = setup();
    await controller.check();
    expect(controller.current()).toBeNull();
    expect(streams.opened).toHaveLength(0);
    expect(controller.blocks(TASK)).toBe(false);
  });

  it('opens the session, blocks the original task, and follows the stream', async () => {
    const { server, controller, streams, changes } = setup();
    server.setRecovery(reportAt('pinging', 2));
    await controller.check();
    expect(controller.view()).toMatchObject({ state: 'pinging', taskSid: TASK });
    expect(controller.blocks(TASK)).toBe(true);
    expect(controller.blocks('WTanother')).toBe(false);
    expect(changes).toHaveBeenCalled();
    controller.dismiss();
    expect(controller.current()).not.toBeNull();

    streams.last()?.send(reportAt('recovered', 3));
    expect(controller.view()).toMatchObject({ state: 'recovered', final: true });
    expect(controller.blocks(TASK)).toBe(false);
    expect(streams.last()?.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(3_999);
    expect(controller.current()).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(controller.current()).toBeNull();

    // The server may still report the finished recovery: it is not shown twice.
    server.setRecovery(reportAt('recovered', 3));
    await controller.check();
    expect(controller.current()).toBeNull();
  });

  it('keeps failure states open until the agent closes them', async () => {
    const { server, controller } = setup();
    server.setRecovery(reportAt('abandoned', 4));
    await controller.check();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(controller.view()?.modal?.title).toBe('The customer hung up');
    controller.dismiss();
    expect(controller.current()).toBeNull();
  });

  it('shows a closed conference again only for a newer snapshot', async () => {
    const { server, controller } = setup();
    server.setRecovery(reportAt('escalated', 3));
    await controller.check();
    controller.dismiss();
    await controller.check();
    expect(controller.current()).toBeNull();
    server.setRecovery(reportAt('abandoned', 4));
    await controller.check();
    expect(controller.view()?.state).toBe('abandoned');
  });

  it('asks once for a burst of reservations and updates an open session', async () => {
    const { server, controller, streams } = setup();
    server.setRecovery(reportAt('pinging', 1));
    await Promise.all([controller.check(), controller.check(), controller.check()]);
    expect(server.api.getRecovery).toHaveBeenCalledTimes(1);
    server.setRecovery(reportAt('reconnecting', 2));
    await controller.check();
    expect(controller.view()?.state).toBe('reconnecting');
    expect(streams.opened).toHaveLength(1);
  });

  it('closes the session when polling finds the recovery gone', async () => {
    const { server, controller, streams } = setup();
    server.setRecovery(reportAt('pinging', 1));
    await controller.check();
    server.setRecovery(null);
    streams.last()?.onError();
    await flush();
    expect(controller.current()).toBeNull();
  });

  it('survives the server being unreachable', async () => {
    const { server, controller } = setup();
    server.api.getRecovery.mockRejectedValueOnce(new Error('offline'));
    await expect(controller.check()).resolves.toBe('failed');
    expect(controller.current()).toBeNull();
    void OTHER_WORKER;
  });
});
