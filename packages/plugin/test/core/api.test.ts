import { describe, expect, it, vi } from 'vitest';
import type { FetchInit, FetchLike } from '../../src/core/index.ts';
import { ApiError, createApiClient } from '../../src/core/index.ts';
import { CONF, SERVER, WORKER } from '../fixtures/sids.ts';
import { reportAt } from '../fixtures/snapshots.ts';

function client(status: number, body: unknown = {}) {
  const calls: { url: string; init: FetchInit }[] = [];
  const fetch: FetchLike = vi.fn(async (url: string, init: FetchInit) => {
    calls.push({ url, init });
    return { status, json: async () => body };
  });
  const api = createApiClient({ serverUrl: SERVER, getToken: () => 'tok en', fetch });
  return { api, calls };
}

describe('api client', () => {
  it('registers the agent with the Flex token as Bearer and reads the version', async () => {
    const { api, calls } = client(200, { ok: true, version: 7 });
    const body = {
      taskSid: 'WT1',
      workflowSid: 'WW1',
      taskAttributes: { from: '+1555' },
      customerCallSid: 'CA1',
      workerSid: WORKER,
      reservationSid: 'WR1',
      workerCallSid: 'CA2',
      workerName: 'Alice',
    };
    await expect(api.registerAgent(CONF, body)).resolves.toEqual({ version: 7 });
    expect(calls[0]?.url).toBe(`${SERVER}/api/v1/conferences/${CONF}/agents`);
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      headers: { Authorization: 'Bearer tok en', 'Content-Type': 'application/json' },
    });
    expect(JSON.parse(calls[0]?.init.body ?? '')).toEqual(body);
  });

  it('posts hangup and transfer to the agent resource', async () => {
    const { api, calls } = client(200);
    await api.hangup(CONF, WORKER, 2);
    await api.transfer(CONF, WORKER, 'COLD');
    expect(calls.map((c) => [c.url, c.init.body])).toEqual([
      [
        `${SERVER}/api/v1/conferences/${CONF}/agents/${WORKER}/hangup`,
        '{"liveParticipantCount":2}',
      ],
      [`${SERVER}/api/v1/conferences/${CONF}/agents/${WORKER}/transfer`, '{"mode":"COLD"}'],
    ]);
  });

  it('posts the accepted ping to the agent resource', async () => {
    const { api, calls } = client(200);
    await api.pingAccepted(CONF, WORKER, { taskSid: 'WT9', reservationSid: 'WR9' });
    expect(calls.map((c) => [c.url, c.init.method, c.init.body])).toEqual([
      [
        `${SERVER}/api/v1/conferences/${CONF}/agents/${WORKER}/ping-accepted`,
        'POST',
        '{"taskSid":"WT9","reservationSid":"WR9"}',
      ],
    ]);
  });

  it('throws ApiError with the status on anything but 2xx', async () => {
    const { api } = client(401);
    await expect(api.hangup(CONF, WORKER, 1)).rejects.toBeInstanceOf(ApiError);
    await expect(api.hangup(CONF, WORKER, 1)).rejects.toMatchObject({ status: 401 });
  });

  it('reads a recovery report, and 404 as no recovery', async () => {
    const report = reportAt('pinging', 3);
    const found = client(200, report);
    await expect(found.api.getRecovery(WORKER)).resolves.toEqual(report);
    expect(found.calls[0]).toMatchObject({
      url: `${SERVER}/api/v1/workers/${WORKER}/recovery`,
      init: { method: 'GET', headers: { Authorization: 'Bearer tok en' } },
    });
    await expect(client(404).api.getRecovery(WORKER)).resolves.toBeNull();
    await expect(client(500).api.getRecovery(WORKER)).rejects.toMatchObject({ status: 500 });
  });

  it('puts the token in the stream URL and in the beacon body, where headers cannot go', () => {
    const { api } = client(200);
    expect(api.streamUrl(CONF)).toBe(`${SERVER}/api/v1/conferences/${CONF}/stream?token=tok%20en`);
    expect(api.unloadBeacon(CONF, WORKER)).toEqual({
      url: `${SERVER}/api/v1/conferences/${CONF}/agents/${WORKER}/unload`,
      body: '{"token":"tok en"}',
    });
  });
});
