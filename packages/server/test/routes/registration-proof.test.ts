import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import {
  AGENT_TOKEN,
  CONF,
  RESERVATION,
  TASK,
  WORKER,
  registration,
  sid,
} from '../support/payloads.ts';

const INTRUDER = sid('WK', 66);
const INTRUDER_TOKEN = 'intruder-token-1';
const SUPERVISOR_TOKEN = 'supervisor-token-1';

describe('a registration must match TaskRouter', () => {
  const h = useHarness();
  const register = (token: string, body: ReturnType<typeof registration>) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents`,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
  const intruder = (overrides: Partial<Record<string, unknown>> = {}) =>
    registration({
      workerSid: INTRUDER,
      reservationSid: sid('WR', 66),
      customerCallSid: sid('CA', 66),
      taskAttributes: { hijacked: true },
      ...overrides,
    });

  it('refuses a worker naming itself into a conference it holds no reservation in; nothing changes', async () => {
    h.twilio.tokens.set(INTRUDER_TOKEN, { worker_sid: INTRUDER, roles: ['agent'] });
    expect((await register(AGENT_TOKEN, registration())).statusCode).toBe(200);
    const before = await h.app.lifeline.store.load(CONF);

    // Knows the conference and task SIDs, names itself: no reservation of its own on the task.
    const claimed = await register(INTRUDER_TOKEN, intruder());
    expect(claimed.statusCode).toBe(403);
    // Names the real agent's reservation: that reservation is not the intruder's.
    const borrowed = await register(INTRUDER_TOKEN, intruder({ reservationSid: RESERVATION }));
    expect(borrowed.statusCode).toBe(403);
    // Holds a real reservation, but on another task than the conference's.
    const otherTask = sid('WT', 66);
    h.twilio.assign({
      conferenceSid: sid('CF', 66),
      taskSid: otherTask,
      workerSid: INTRUDER,
      reservationSid: sid('WR', 66),
    });
    const elsewhere = await register(INTRUDER_TOKEN, intruder({ taskSid: otherTask }));
    expect(elsewhere.statusCode).toBe(403);

    expect(await h.app.lifeline.store.load(CONF)).toEqual(before);
    expect(await h.app.lifeline.store.conferenceForWorker(INTRUDER)).toBeNull();
  });

  it('refuses a reservation that is no longer held (rejected, canceled, completed)', async () => {
    for (const status of ['rejected', 'canceled', 'completed', 'pending']) {
      h.twilio.reservations.set(RESERVATION, status);
      const response = await register(AGENT_TOKEN, registration());
      expect(response.statusCode, status).toBe(403);
    }
    expect(await h.app.lifeline.store.load(CONF)).toBeNull();
    h.twilio.reservations.set(RESERVATION, 'wrapping');
    expect((await register(AGENT_TOKEN, registration())).statusCode).toBe(200);
  });

  it('refuses an unknown conference or task the same way', async () => {
    const unknownConference = await h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${sid('CF', 404)}/agents`,
      headers: { authorization: `Bearer ${AGENT_TOKEN}` },
      payload: registration(),
    });
    const unknownTask = await register(AGENT_TOKEN, registration({ taskSid: sid('WT', 404) }));
    expect(unknownConference.statusCode).toBe(403);
    expect(unknownTask.statusCode).toBe(403);
    expect(unknownConference.json()).toEqual(unknownTask.json());
  });

  it('lets a supervisor read but not register, even for the worker holding the task', async () => {
    h.twilio.tokens.set(SUPERVISOR_TOKEN, { worker_sid: sid('WK', 77), roles: ['supervisor'] });
    expect((await register(SUPERVISOR_TOKEN, registration())).statusCode).toBe(403);
    expect(await h.app.lifeline.store.load(CONF)).toBeNull();
    expect((await register(AGENT_TOKEN, registration())).statusCode).toBe(200);
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const stream = await fetch(`${address}/api/v1/conferences/${CONF}/stream`, {
      headers: { authorization: `Bearer ${SUPERVISOR_TOKEN}` },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    controller.abort();
  });

  it('checks TaskRouter for the conference, task and reservation named', async () => {
    expect((await register(AGENT_TOKEN, registration())).statusCode).toBe(200);
    const reads = h.twilio.calls.filter((call) => call.method === 'GET').map((call) => call.path);
    expect(reads).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`/Conferences/${CONF}.json`),
        expect.stringContaining(`/Tasks/${TASK}`),
        expect.stringContaining(`/Tasks/${TASK}/Reservations`),
      ]),
    );
    expect(await h.app.lifeline.store.conferenceForWorker(WORKER)).toBe(CONF);
  });

  it("accepts a transfer's target: its own task names the conference it joined", async () => {
    h.twilio.tokens.set(INTRUDER_TOKEN, { worker_sid: INTRUDER, roles: ['agent'] });
    const transferTask = sid('WT', 67);
    const transfer = (conferenceSid: string) => ({
      sid: transferTask,
      attributes: JSON.stringify({ conference: { sid: conferenceSid } }),
      assignment_status: 'assigned',
      priority: 0,
      workflow_sid: '',
      version: 0,
    });
    h.twilio.assign({
      conferenceSid: CONF,
      taskSid: transferTask,
      workerSid: INTRUDER,
      reservationSid: sid('WR', 67),
    });
    // The conference keeps the first task's name; assign() pointed it at the transfer's.
    h.twilio.conferences.set(CONF, TASK);
    const body = intruder({ taskSid: transferTask, reservationSid: sid('WR', 67) });
    // A task naming another conference proves nothing about this one.
    h.twilio.tasks.set(transferTask, transfer(sid('CF', 67)));
    expect((await register(INTRUDER_TOKEN, body)).statusCode).toBe(403);
    h.twilio.tasks.set(transferTask, transfer(CONF));
    expect((await register(INTRUDER_TOKEN, body)).statusCode).toBe(200);
    expect(await h.app.lifeline.store.conferenceForWorker(INTRUDER)).toBe(CONF);
  });

  it('answers 503 and writes nothing when TaskRouter cannot be asked', async () => {
    h.twilio.failReadsNext(3, 500);
    const response = await register(AGENT_TOKEN, registration());
    expect(response.statusCode).toBe(503);
    expect(await h.app.lifeline.store.load(CONF)).toBeNull();
  });
});
