import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecoveryReport } from '../../src/core/index.ts';
import { parseStreamData, startRecoverySync } from '../../src/core/index.ts';
import { fakeApi, fakeStreams, flush } from '../fixtures/fakes.ts';
import { CONF, WORKER } from '../fixtures/sids.ts';
import { reportAt } from '../fixtures/snapshots.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(recovery: RecoveryReport | null = reportAt('pinging', 1)) {
  const server = fakeApi(recovery);
  const streams = fakeStreams();
  const reports: number[] = [];
  const onGone = vi.fn();
  const sync = startRecoverySync({
    api: server.api,
    conferenceSid: CONF,
    workerSid: WORKER,
    openStream: streams.openStream,
    pollIntervalMs: 1_000,
    onReport: (report) => reports.push(report.version),
    onGone,
  });
  return { server, streams, reports, onGone, sync };
}

describe('parseStreamData', () => {
  it('reads the server messages and skips anything else', () => {
    expect(
      parseStreamData(
        '{"version":2,"snapshot":{"value":"x"},"state":"pinging","final":false}',
        CONF,
      ),
    ).toEqual({
      conferenceSid: CONF,
      version: 2,
      snapshot: { value: 'x' },
      state: 'pinging',
      final: false,
    });
    expect(parseStreamData('not json', CONF)).toBeNull();
    expect(parseStreamData('{"version":"2","snapshot":{}}', CONF)).toBeNull();
  });
});

describe('recovery sync', () => {
  it('follows the stream of the conference', () => {
    const { streams, reports } = setup();
    expect(streams.last()?.url).toBe(`stream:${CONF}`);
    streams.last()?.onOpen();
    streams.last()?.send(reportAt('reconnecting', 2));
    expect(reports).toEqual([2]);
  });

  it('polls while the stream is down and reopens it with backoff', async () => {
    const { server, streams, reports } = setup();
    streams.last()?.onError();
    expect(streams.opened[0]?.closed).toBe(true);
    await flush();
    expect(server.api.getRecovery).toHaveBeenCalledTimes(1);
    expect(reports).toEqual([1]);
    server.setRecovery(reportAt('reconnecting', 2));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reports).toEqual([1, 2]);
    expect(streams.opened).toHaveLength(2);
    // The reopened stream fails too: the next try waits twice as long.
    streams.last()?.onError();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(streams.opened).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(streams.opened).toHaveLength(3);
    // Once a stream is open again, polling stops.
    streams.last()?.onOpen();
    const polls = server.api.getRecovery.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.api.getRecovery).toHaveBeenCalledTimes(polls);
  });

  it('reports when the server has no recovery for the worker any more', async () => {
    const { streams, onGone } = setup(null);
    streams.last()?.onError();
    await flush();
    expect(onGone).toHaveBeenCalledTimes(1);
  });

  it('stops everything', async () => {
    const { server, streams, sync } = setup();
    streams.last()?.onError();
    await flush();
    sync.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.api.getRecovery).toHaveBeenCalledTimes(1);
    expect(streams.opened).toHaveLength(1);
  });
});
