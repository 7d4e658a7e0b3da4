import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import RedisMock from 'ioredis-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, uniquePrefix } from '../support/app.ts';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  RESERVATION,
  TASK,
  WORKER,
  WORKFLOW,
  conferenceCallback,
  participantFields,
  sid,
} from '../support/payloads.ts';

/**
 * The REST answers the conference lookup needs (task, its reservations, the conference's
 * participants) and a record of every write, so the recovery that follows can be seen.
 */
interface LookupTwilio {
  url: string;
  writes: { method: string; path: string }[];
  reservationStatus: string;
  participants: { call_sid: string; label: string }[];
  close(): Promise<void>;
}

async function startLookupTwilio(): Promise<LookupTwilio> {
  const app: FastifyInstance = Fastify();
  await app.register(formbody);
  const state: Omit<LookupTwilio, 'url' | 'close'> = {
    writes: [],
    reservationStatus: 'accepted',
    participants: [
      { call_sid: CUSTOMER, label: 'customer' },
      { call_sid: AGENT_CALL, label: 'worker' },
    ],
  };
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'GET') state.writes.push({ method: request.method, path: request.url });
  });
  app.get('/v1/Workspaces/:ws/Tasks/:task', async () => ({
    sid: TASK,
    workflow_sid: WORKFLOW,
    assignment_status: 'assigned',
    attributes: JSON.stringify({ call_sid: CUSTOMER, from: '+15550001111' }),
  }));
  app.get('/v1/Workspaces/:ws/Tasks/:task/Reservations', async () => ({
    reservations: [
      {
        sid: RESERVATION,
        reservation_status: state.reservationStatus,
        worker_sid: WORKER,
        worker_name: 'Alice',
      },
    ],
    meta: { key: 'reservations', next_page_url: null, page: 0, page_size: 50 },
  }));
  app.get('/2010-04-01/Accounts/:account/Conferences/:conf/Participants.json', async () => ({
    participants: state.participants,
    next_page_uri: null,
    page: 0,
    page_size: 50,
  }));
  app.get('/v1/Workspaces/:ws/Tasks', async () => ({
    tasks: [],
    meta: { key: 'tasks', next_page_url: null, page: 0, page_size: 1 },
  }));
  app.post('/v1/Workspaces/:ws/Tasks', async () => ({ sid: sid('WT', 500) }));
  app.post('/*', async () => ({}));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return Object.assign(state, { url, close: () => app.close() });
}

describe('a drop at any moment is recovered, page or no page', () => {
  let twilio: LookupTwilio;
  let app: FastifyInstance;
  beforeEach(async () => {
    twilio = await startLookupTwilio();
    app = await testApp({ twilioUrl: twilio.url, client: new RedisMock(), prefix: uniquePrefix() });
  });
  afterEach(async () => {
    await app.close();
    await twilio.close();
  });

  async function callback(event: string, fields: Record<string, string>, name = TASK) {
    const sent = conferenceCallback(event, { FriendlyName: name, ...fields });
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: sent.headers,
      payload: sent.payload,
    });
    expect(response.statusCode).toBe(200);
  }
  const state = async () =>
    ((await app.lifeline.store.load(CONF))?.snapshot as { value?: unknown } | undefined)?.value;
  const agentDrops = () =>
    callback(
      'participant-leave',
      participantFields(AGENT_CALL, { ReasonParticipantLeft: 'participant_hung_up' }),
    );

  it('learns the call from its own conference callbacks, with no plugin, and recovers a drop', async () => {
    await callback(
      'participant-join',
      participantFields(CUSTOMER, { ParticipantLabel: 'customer' }),
    );
    await callback(
      'participant-join',
      participantFields(AGENT_CALL, { ParticipantLabel: 'worker', EndConferenceOnExit: 'true' }),
    );
    await app.lifeline.runner.drain();
    const stored = await app.lifeline.store.load(CONF);
    const context = (stored?.snapshot as { context: { lookup: string; agents: object } }).context;
    expect(context.lookup).toBe('found');
    expect(context.agents).toMatchObject({
      [WORKER]: { workerName: 'Alice', callSid: AGENT_CALL, reservationSid: RESERVATION },
    });
    expect(await app.lifeline.store.conferenceForTask(TASK)).toBe(CONF);
    // The agent's leg is kept in the conference, as after a registration.
    expect(twilio.writes.map((w) => w.path)).toContainEqual(
      expect.stringContaining(`/Participants/${AGENT_CALL}.json`),
    );

    await agentDrops();
    expect(await state()).toEqual({ recovering: { pinging: 'creating' } });
    await app.lifeline.runner.drain();
    expect(twilio.writes.some((w) => w.path.endsWith('/Tasks'))).toBe(true);
  });

  it('recovers a drop that happens before the lookup answers', async () => {
    twilio.participants = [{ call_sid: CUSTOMER, label: 'customer' }];
    await callback(
      'participant-join',
      participantFields(CUSTOMER, { ParticipantLabel: 'customer' }),
    );
    await callback(
      'participant-join',
      participantFields(AGENT_CALL, { ParticipantLabel: 'worker' }),
    );
    await agentDrops();
    expect(await state()).toBe('connected');
    await app.lifeline.runner.drain();
    expect(await state()).toEqual({ recovering: { pinging: 'offered' } });
  });

  it('ignores a conference not named after a task, and notes it', async () => {
    await callback('conference-start', {}, 'team-huddle');
    expect(await state()).toBe('untracked');
    const names = (await app.lifeline.store.timeline(CONF)).map((entry) => entry.name);
    expect(names).toContain('conference.discovered');
    expect(names).not.toContain('lookupCall');
  });

  it('notes a task with no accepted reservation and stays as it was', async () => {
    twilio.reservationStatus = 'rejected';
    await callback('participant-join', participantFields(CUSTOMER));
    await app.lifeline.runner.drain();
    const stored = await app.lifeline.store.load(CONF);
    expect((stored?.snapshot as { context: { lookup: string } }).context.lookup).toBe('failed');
    const names = (await app.lifeline.store.timeline(CONF)).map((entry) => entry.name);
    expect(names).toContain('effect.callLookupFailed');
    await agentDrops();
    expect(await state()).toBe('connected');
  });
});
