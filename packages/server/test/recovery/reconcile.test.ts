import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import RedisMock from 'ioredis-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcileConference } from '../../src/effects/reconcile.ts';
import type { TimelineEntry } from '../../src/store/types.ts';
import { ACCOUNT_SID, testApp, uniquePrefix } from '../support/app.ts';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  RESERVATION,
  TASK,
  WORKER,
  WORKFLOW,
  cloudEvent,
  conferenceCallback,
  eventStreamsDelivery,
  participantFields,
} from '../support/payloads.ts';

/**
 * Twilio as the reconcile sees it: the conference (or none), its participants, and each
 * call's status (none: 404), plus what the conference's first callback looks up.
 */
interface ReconcileTwilio {
  url: string;
  conferenceStatus: string | null;
  participants: string[];
  callStatus: Map<string, string>;
  close(): Promise<void>;
}

async function startReconcileTwilio(): Promise<ReconcileTwilio> {
  const app: FastifyInstance = Fastify();
  await app.register(formbody);
  const state = {
    conferenceStatus: 'in-progress' as string | null,
    participants: [CUSTOMER, AGENT_CALL],
    callStatus: new Map<string, string>(),
  };
  const notFound = { code: 20404, message: 'not found', status: 404 };
  app.get('/v1/Workspaces/:ws/Tasks/:task', async () => ({
    sid: TASK,
    workflow_sid: WORKFLOW,
    assignment_status: 'assigned',
    attributes: JSON.stringify({ call_sid: CUSTOMER }),
  }));
  app.get('/v1/Workspaces/:ws/Tasks/:task/Reservations', async () => ({
    reservations: [
      {
        sid: RESERVATION,
        reservation_status: 'accepted',
        worker_sid: WORKER,
        worker_name: 'Alice',
      },
    ],
    meta: { key: 'reservations', next_page_url: null, page: 0, page_size: 50 },
  }));
  app.get('/v1/Workspaces/:ws/Tasks', async () => ({
    tasks: [],
    meta: { key: 'tasks', next_page_url: null, page: 0, page_size: 1 },
  }));
  app.get('/2010-04-01/Accounts/:account/Conferences/:conf.json', async (request, reply) => {
    if (state.conferenceStatus === null) return reply.code(404).send(notFound);
    const sid = (request.params as { conf: string }).conf;
    return { sid, friendly_name: TASK, status: state.conferenceStatus };
  });
  app.get('/2010-04-01/Accounts/:account/Conferences/:conf/Participants.json', async () => ({
    participants: state.participants.map((callSid) => ({ call_sid: callSid, status: 'connected' })),
    next_page_uri: null,
    page: 0,
    page_size: 250,
  }));
  app.get('/2010-04-01/Accounts/:account/Calls/:call.json', async (request, reply) => {
    const sid = (request.params as { call: string }).call;
    const status = state.callStatus.get(sid);
    return status === undefined ? reply.code(404).send(notFound) : { sid, status };
  });
  app.post('/*', async () => ({ sid: 'WT00000000000000000000000000000500' }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return Object.assign(state, { url, close: () => app.close() });
}

const detailOf = (entry: TimelineEntry | undefined) =>
  (entry?.detail ?? {}) as Record<string, unknown>;

describe('reconciling a conference with Twilio', () => {
  let twilio: ReconcileTwilio;
  let app: FastifyInstance;
  let redis: InstanceType<typeof RedisMock>;
  let prefix: string;
  beforeEach(async () => {
    twilio = await startReconcileTwilio();
    redis = new RedisMock();
    prefix = uniquePrefix();
    app = await testApp({ twilioUrl: twilio.url, client: redis, prefix });
  });
  afterEach(async () => {
    await app.close();
    await twilio.close();
  });

  async function callback(on: FastifyInstance, event: string, fields: Record<string, string>) {
    const sent = conferenceCallback(event, fields);
    const response = await on.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: sent.headers,
      payload: sent.payload,
    });
    expect(response.statusCode).toBe(200);
  }
  async function connectedCall(on: FastifyInstance) {
    await callback(
      on,
      'participant-join',
      participantFields(CUSTOMER, { ParticipantLabel: 'customer' }),
    );
    await callback(
      on,
      'participant-join',
      participantFields(AGENT_CALL, { ParticipantLabel: 'worker', EndConferenceOnExit: 'true' }),
    );
    await on.lifeline.runner.drain();
  }
  /** A connected call whose agent's leg hung up: the recovery is pinging. */
  async function agentDropped() {
    await connectedCall(app);
    await callback(
      app,
      'participant-leave',
      participantFields(AGENT_CALL, { ReasonParticipantLeft: 'participant_hung_up' }),
    );
    await app.lifeline.runner.drain();
    expect(await state()).toEqual({ recovering: { pinging: 'offered' } });
  }
  const state = async (on = app) =>
    ((await on.lifeline.store.load(CONF))?.snapshot as { value?: unknown } | undefined)?.value;
  async function reconcile(round: number) {
    await app.lifeline.engine.dispatch({
      conferenceSid: CONF,
      event: { type: 'reconcile.requested', at: Date.now(), round },
      source: 'test',
    });
    await app.lifeline.runner.drain();
  }
  /** The reconcile's reported events, as the timeline recorded them. */
  async function reported() {
    const timeline = await app.lifeline.store.timeline(CONF);
    return timeline.filter(
      (entry) => entry.kind === 'event' && detailOf(entry)['source'] === 'effect',
    );
  }

  /** One Event Streams delivery of `events` to the app, signed as Twilio signs it. */
  async function deliver(events: unknown[]) {
    const sent = eventStreamsDelivery(events);
    const response = await app.inject({
      method: 'POST',
      url: sent.url,
      headers: sent.headers,
      payload: sent.payload,
    });
    expect(response.statusCode).toBe(200);
    return response;
  }

  it("starts the recovery from an agent's leave no callback brought: its call ended", async () => {
    await connectedCall(app);
    expect(await state()).toBe('connected');
    twilio.participants = [CUSTOMER];
    twilio.callStatus.set(CUSTOMER, 'in-progress');
    await reconcile(1);
    expect(await state()).toEqual({ recovering: { pinging: 'offered' } });
    const left = (await reported()).filter((entry) => entry.name === 'participant.left');
    expect(left).toHaveLength(1);
    expect(left[0]?.detail).toMatchObject({
      callSid: AGENT_CALL,
      reason: 'participant_hung_up',
      label: 'worker',
    });
  });

  it("starts the recovery when Flex wraps the task up and the agent's leave callback was lost", async () => {
    await connectedCall(app);
    // The leave callback never came (Twilio does not retry them); Event Streams does.
    twilio.participants = [CUSTOMER];
    twilio.callStatus.set(CUSTOMER, 'in-progress');
    const wrapup = cloudEvent('task.wrapup', { task_sid: TASK, task_attributes: '{}' });
    for (let delivery = 0; delivery < 2; delivery += 1) {
      await deliver([wrapup]);
      await app.lifeline.runner.drain();
    }
    expect(await state()).toEqual({ recovering: { pinging: 'offered' } });
    // Delivered twice, reconciled once.
    const runs = (await app.lifeline.store.timeline(CONF)).filter(
      (entry) => entry.kind === 'effect' && entry.name === 'reconcileConference',
    );
    expect(runs).toHaveLength(1);
  });

  it('ignores a wrap-up of a task no conference here knows', async () => {
    const wrapup = cloudEvent('task.wrapup', { task_sid: TASK, task_attributes: '{}' });
    const response = await deliver([wrapup]);
    expect(response.json()).toMatchObject({ received: 1, applied: 0, ignored: 1 });
    expect(await app.lifeline.store.load(CONF)).toBeNull();
  });

  it('reports the hang-up before the end of a conference the held customer left', async () => {
    await agentDropped();
    // The customer's leave and the end were lost; the customer's own call is over.
    twilio.conferenceStatus = 'completed';
    twilio.participants = [];
    twilio.callStatus.set(CUSTOMER, 'completed');
    await reconcile(1);
    expect(await state()).toBe('abandoned');
    const told = (await reported())
      .map((entry) => entry.name)
      .filter((name) => name === 'participant.left' || name === 'conference.ended');
    expect(told).toEqual(['participant.left', 'conference.ended']);
  });

  it('ends as abandoned when a callback took the SequenceNumber of the hang-up it reports', async () => {
    await agentDropped();
    // The reconcile is planned; before it runs, the customer's hold callback takes the next
    // SequenceNumber, the one the reconcile gives the customer's leave.
    await app.lifeline.engine.dispatch({
      conferenceSid: CONF,
      event: { type: 'reconcile.requested', at: Date.now(), round: 1 },
      source: 'test',
    });
    await callback(app, 'participant-hold', participantFields(CUSTOMER, { Hold: 'true' }));
    twilio.conferenceStatus = 'completed';
    twilio.participants = [];
    twilio.callStatus.set(CUSTOMER, 'completed');
    await app.lifeline.runner.drain();
    expect(await state()).toBe('abandoned');
    const ended = (await reported()).find((entry) => entry.name === 'conference.ended');
    expect(ended?.detail).toMatchObject({ callSidEnding: CUSTOMER });
  });

  it('reports nothing while every call believed present is there', async () => {
    await connectedCall(app);
    const before = (await reported()).length;
    await reconcile(1);
    expect(await state()).toBe('connected');
    expect((await reported()).length).toBe(before);
    const results = (await app.lifeline.store.timeline(CONF)).filter(
      (entry) => entry.kind === 'effect-result' && entry.name === 'reconcileConference',
    );
    expect(detailOf(results[0])['result']).toBe('all 2 call(s) still in the conference');
  });

  it('names a call still on the line but out of the conference as moved by the API', async () => {
    await connectedCall(app);
    twilio.participants = [AGENT_CALL];
    twilio.callStatus.set(CUSTOMER, 'in-progress');
    await reconcile(1);
    const left = (await reported()).find((entry) => entry.name === 'participant.left');
    expect(left?.detail).toMatchObject({
      callSid: CUSTOMER,
      reason: 'participant_updated_via_api',
    });
  });

  it('reports only the end of a conference that is over, or unknown to Twilio', async () => {
    await connectedCall(app);
    twilio.conferenceStatus = 'completed';
    twilio.participants = [];
    await reconcile(1);
    expect(await state()).toBe('conferenceEnded');
    expect((await reported()).map((entry) => entry.name)).toContain('conference.ended');
    expect((await reported()).map((entry) => entry.name)).not.toContain('participant.left');

    twilio.conferenceStatus = null;
    const outcome = await reconcileConference(
      {
        key: `${CONF}:reconcile:9`,
        conferenceSid: CONF,
        calls: [],
        highestSeq: 5,
      },
      { client: app.lifeline.twilio.client, accountSid: ACCOUNT_SID, now: () => 1 },
    );
    expect(outcome.events).toEqual([{ type: 'conference.ended', at: 1, seq: 6, reason: null }]);
    expect(outcome.dedupeIds).toEqual([`${CONF}:reconcile:9:ended`]);
  });

  it('reports each missing call after the highest SequenceNumber, customer first, with stable delivery ids', async () => {
    twilio.participants = [];
    twilio.callStatus.set(CUSTOMER, 'completed');
    const params = {
      key: `${CONF}:reconcile:3`,
      conferenceSid: CONF,
      calls: [
        { callSid: CUSTOMER, seq: 4, label: 'customer', endConferenceOnExit: true, hold: false },
        { callSid: AGENT_CALL, seq: 7, label: 'worker', endConferenceOnExit: false, hold: false },
      ],
      highestSeq: 7,
    };
    const ctx = { client: app.lifeline.twilio.client, accountSid: ACCOUNT_SID, now: () => 2 };
    const first = await reconcileConference(params, ctx);
    expect(first.events).toMatchObject([
      { type: 'participant.left', callSid: CUSTOMER, seq: 8, reason: 'participant_hung_up' },
      { type: 'participant.left', callSid: AGENT_CALL, seq: 9, reason: 'participant_hung_up' },
    ]);
    // A replay (another instance after a lapsed lease) consumes the same ids: nothing twice.
    const again = await reconcileConference(params, ctx);
    expect(again.dedupeIds).toEqual(first.dedupeIds);
    expect(new Set(first.dedupeIds).size).toBe(2);
  });

  it('an instance started after the agent left unseen reconciles, and the recovery starts', async () => {
    await connectedCall(app);
    // The leave went to an instance that died: nobody saw it.
    twilio.participants = [CUSTOMER];
    twilio.callStatus.set(CUSTOMER, 'in-progress');
    await app.close();
    app = await testApp({ twilioUrl: twilio.url, client: redis, prefix, runLoops: true });
    await app.ready();
    const deadline = Date.now() + 10_000;
    while ((await state()) === 'connected' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await state()).toEqual({ recovering: { pinging: expect.any(String) } });
  });
});
