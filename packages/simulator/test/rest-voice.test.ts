import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { waitFor } from '../src/index.ts';
import { answeredCall, standardWorkspace, useHarness } from './support/sim.ts';
import { accountSid } from './support/ids.ts';

const h = useHarness();

/** A customer in a Flex conference with Alice: returns the SIDs. */
async function connectedCall() {
  const connected = await answeredCall(h);
  return { ...connected, agentCallSid: connected.call.workerCallSid };
}

describe('conferences and participants through the twilio client', () => {
  it('fetches the conference Flex created, named by the task SID, in the spec shape', async () => {
    const { conferenceSid, customer } = await connectedCall();
    const conference = await h.client.conferences(conferenceSid).fetch();
    expect(conference.sid).toBe(conferenceSid);
    expect(conference.friendlyName).toBe(customer.taskSid);
    expect(conference.status).toBe('in-progress');
    expect(conference.accountSid).toBe(accountSid);
    // RFC 2822 in the JSON; twilio-node parses it into a Date.
    expect(conference.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(conference.dateCreated.getTime())).toBe(false);
    const list = await h.client.conferences.list({ status: 'in-progress' });
    expect(list.map((c) => c.sid)).toContain(conferenceSid);
  });

  it('lists, fetches (by SID and by label) and updates participants', async () => {
    const { conferenceSid, customer, agentCallSid } = await connectedCall();
    const participants = await h.client.conferences(conferenceSid).participants.list();
    expect(participants.map((p) => p.callSid).sort()).toEqual(
      [customer.callSid, agentCallSid].sort(),
    );
    const byLabel = await h.client.conferences(conferenceSid).participants('customer').fetch();
    expect(byLabel.callSid).toBe(customer.callSid);
    const held = await h.client
      .conferences(conferenceSid)
      .participants(customer.callSid)
      .update({ hold: true, holdUrl: 'http://127.0.0.1/hold.mp3' });
    expect(held.hold).toBe(true);
    const muted = await h.client
      .conferences(conferenceSid)
      .participants(agentCallSid)
      .update({ muted: true });
    expect(muted.muted).toBe(true);
    const onHold = await h.client.conferences(conferenceSid).participants.list({ hold: true });
    expect(onHold.map((p) => p.callSid)).toEqual([customer.callSid]);
  });

  it('ignores endConferenceOnExit set on a held participant, as Twilio does', async () => {
    const { conferenceSid, customer } = await connectedCall();
    const participant = h.client.conferences(conferenceSid).participants(customer.callSid);
    await participant.update({ endConferenceOnExit: false });
    await participant.update({ hold: true });
    const ignored = await participant.update({ endConferenceOnExit: true });
    expect(ignored.endConferenceOnExit).toBe(false);
    const applied = await participant.update({ hold: false, endConferenceOnExit: true });
    expect(applied.hold).toBe(false);
    expect(applied.endConferenceOnExit).toBe(true);
  });

  it('dials an external party in with participant create; it answers and joins', async () => {
    const { sim } = h;
    const { conferenceSid } = await connectedCall();
    const created = await h.client.conferences(conferenceSid).participants.create({
      from: '+15550001111',
      to: '+15550002222',
      label: 'external',
      endConferenceOnExit: false,
      earlyMedia: true,
      statusCallback: `${h.receiver.origin}/call-status`,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    expect(created.status).toBe('queued');
    expect(created.label).toBe('external');
    await waitFor(
      () =>
        sim.world.conferences.get(conferenceSid)?.participants.get(created.callSid)?.status ===
        'connected',
    );
    const fetched = await h.client.conferences(conferenceSid).participants('external').fetch();
    expect(fetched.status).toBe('connected');
    const progress = await waitFor(() => {
      const forms = h.receiver.forms('/call-status');
      return forms.length >= 3 ? forms : null;
    });
    expect(progress.map((f) => f['CallStatus'])).toEqual(['queued', 'ringing', 'in-progress']);
    const signed = h.receiver.received.filter((r) => r.path === '/call-status');
    expect(signed.every((r) => r.signatureValid)).toBe(true);
  });

  it('reports a busy number as a failed participant', async () => {
    const { sim } = h;
    const { conferenceSid } = await connectedCall();
    sim.calls.setNumber('+15550009999', { answer: 'busy' });
    const created = await h.client
      .conferences(conferenceSid)
      .participants.create({ from: '+15550001111', to: '+15550009999' });
    await waitFor(() => sim.calls.get(created.callSid).status === 'busy');
    await expect(
      h.client.conferences(conferenceSid).participants(created.callSid).fetch(),
    ).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
  });

  it('plays a conference announcement to everyone and ends the conference on Status=completed', async () => {
    const { sim } = h;
    const { conferenceSid, customer, agentCallSid } = await connectedCall();
    await h.client
      .conferences(conferenceSid)
      .update({ announceUrl: 'http://127.0.0.1/back-soon.xml' });
    expect(
      sim.timeline(customer.callSid).has('heard announcement http://127.0.0.1/back-soon.xml'),
    ).toBe(true);
    expect(
      sim.timeline(agentCallSid).has('heard announcement http://127.0.0.1/back-soon.xml'),
    ).toBe(true);
    const ended = await h.client.conferences(conferenceSid).update({ status: 'completed' });
    expect(ended.status).toBe('completed');
    expect(ended.reasonConferenceEnded).toBe('conference-ended-via-api');
    await waitFor(() => sim.calls.get(customer.callSid).status === 'completed');
  });

  it('drops a participant still ringing when its call is canceled', async () => {
    const { sim } = h;
    const { conferenceSid } = await connectedCall();
    sim.calls.setNumber('+15550005555', { answer: 'answer', ringMs: 10_000 });
    const ringing = await h.client
      .conferences(conferenceSid)
      .participants.create({ from: '+15550001111', to: '+15550005555', timeout: 600 });
    await waitFor(() => sim.calls.get(ringing.callSid).status === 'ringing');
    const listed = await h.client.conferences(conferenceSid).participants.list();
    expect(listed.find((p) => p.callSid === ringing.callSid)?.status).toBe('ringing');
    await h.client.calls(ringing.callSid).update({ status: 'canceled' });
    expect(sim.calls.get(ringing.callSid).status).toBe('canceled');
    const after = await h.client.conferences(conferenceSid).participants.list();
    expect(after.map((p) => p.callSid)).not.toContain(ringing.callSid);
  });

  it('kicks a participant with participant delete', async () => {
    const { sim } = h;
    const { conferenceSid } = await connectedCall();
    const external = await h.client
      .conferences(conferenceSid)
      .participants.create({ from: '+15550001111', to: '+15550003333' });
    await waitFor(() => sim.calls.get(external.callSid).status === 'in-progress');
    await waitFor(
      () =>
        sim.world.conferences.get(conferenceSid)?.participants.get(external.callSid)?.status ===
        'connected',
    );
    expect(await h.client.conferences(conferenceSid).participants(external.callSid).remove()).toBe(
      true,
    );
    await waitFor(() => sim.calls.get(external.callSid).status === 'completed');
  });
});

describe('calls through the twilio client', () => {
  it('moves a live call into another conference with <Dial><Conference>', async () => {
    const { sim } = h;
    const { conferenceSid, customer } = await connectedCall();
    const twiml = new twilio.twiml.VoiceResponse();
    twiml
      .dial()
      .conference({ participantLabel: 'customer', endConferenceOnExit: false }, 'recovery-room');
    await h.client.calls(customer.callSid).update({ twiml: twiml.toString() });
    const moved = sim.world.conferences.liveByName('recovery-room');
    expect(moved?.participants.get(customer.callSid)?.label).toBe('customer');
    expect(moved?.participants.get(customer.callSid)?.endConferenceOnExit).toBe(false);
    // The old conference saw the customer leave via the API.
    const left = await waitFor(() =>
      h.receiver
        .forms()
        .find(
          (f) =>
            f['StatusCallbackEvent'] === 'participant-leave' && f['CallSid'] === customer.callSid,
        ),
    );
    expect(left['ReasonParticipantLeft']).toBe('participant_updated_via_api');
    expect(left['ConferenceSid']).toBe(conferenceSid);
    const call = await h.client.calls(customer.callSid).fetch();
    expect(call.status).toBe('in-progress');
  });

  it('accepts the hand-written label attribute on <Conference>', async () => {
    const { sim } = h;
    const { customer } = await connectedCall();
    await h.client.calls(customer.callSid).update({
      twiml:
        '<Response><Dial><Conference label="customer" endConferenceOnExit="true">room-2</Conference></Dial></Response>',
    });
    const participant = sim.world.conferences
      .liveByName('room-2')
      ?.participants.get(customer.callSid);
    expect(participant?.label).toBe('customer');
    expect(participant?.endConferenceOnExit).toBe(true);
  });

  it('enqueues a live call as a TaskRouter task with <Enqueue><Task>', async () => {
    const { sim } = h;
    const { setup, customer } = await connectedCall();
    const twiml = new twilio.twiml.VoiceResponse();
    twiml
      .enqueue({ workflowSid: setup.voiceWorkflowSid })
      .task(
        { priority: 1000 },
        JSON.stringify({ isReconnect: true, targetWorkerSid: 'WK' + '9'.repeat(32) }),
      );
    await h.client.calls(customer.callSid).update({ twiml: twiml.toString() });
    const place = sim.calls.get(customer.callSid).place;
    expect(place.kind).toBe('queue');
    const taskSid = place.kind === 'queue' ? place.taskSid : '';
    const task = await h.ws.tasks(taskSid).fetch();
    expect(task.priority).toBe(1000);
    expect(task.taskChannelUniqueName).toBe('voice');
    const attributes = JSON.parse(task.attributes) as Record<string, unknown>;
    expect(attributes).toMatchObject({
      isReconnect: true,
      call_sid: customer.callSid,
      from: '+15551230001',
      direction: 'inbound',
    });
    // The caller hangs up while waiting: the task is canceled.
    sim.calls.hangup(customer.callSid);
    const canceled = await h.ws.tasks(taskSid).fetch();
    expect(canceled.assignmentStatus).toBe('canceled');
    expect(canceled.reason).toBe('hangup');
  });

  it('answers 21220 when a completed call is updated, and hangs up with Status=completed', async () => {
    const { customer } = await connectedCall();
    const done = await h.client.calls(customer.callSid).update({ status: 'completed' });
    expect(done.status).toBe('completed');
    await expect(
      h.client.calls(customer.callSid).update({ twiml: '<Response/>' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21220,
    });
  });

  it('rejects invalid TwiML with a 400', async () => {
    const { customer } = await connectedCall();
    await expect(
      h.client.calls(customer.callSid).update({ twiml: '<Response><Dial>' }),
    ).rejects.toMatchObject({
      status: 400,
    });
  });
});

describe('outbound calls and client set-ups', () => {
  it('creates a call that fetches its TwiML from a URL, signed like any voice webhook', async () => {
    const { sim, receiver } = h;
    receiver.respond((r) =>
      r.path === '/voice'
        ? {
            status: 200,
            body: '<Response><Say>Hello</Say><Dial><Conference>fetched-room</Conference></Dial></Response>',
          }
        : { status: 204 },
    );
    const call = await h.client.calls.create({
      from: '+15550000000',
      to: '+15550000007',
      url: `${receiver.origin}/voice`,
    });
    await waitFor(() =>
      sim.world.conferences.liveByName('fetched-room')?.participants.has(call.sid),
    );
    const fetch = receiver.received.find((r) => r.path === '/voice');
    expect(fetch?.signatureValid).toBe(true);
    expect(fetch?.form).toMatchObject({
      CallSid: call.sid,
      CallStatus: 'in-progress',
      From: '+15550000000',
    });
    expect(sim.timeline(call.sid).has('heard say "Hello"')).toBe(true);
  });

  it('also works with each domain’s baseUrl pointed at the simulator', async () => {
    const client = twilio(accountSid, h.sim.options.authToken);
    client.api.baseUrl = h.sim.url;
    client.taskrouter.baseUrl = h.sim.url;
    standardWorkspace(h.sim);
    expect(await client.calls.list()).toEqual([]);
    const workflows = await client.taskrouter.v1
      .workspaces(h.sim.options.workspaceSid)
      .workflows.list();
    expect(workflows).toHaveLength(2);
  });
});

describe('errors in Twilio’s shape', () => {
  it('answers 404 (code 20404) for unknown SIDs', async () => {
    const missing = 'CF' + 'f'.repeat(32);
    const error: unknown = await h.client
      .conferences(missing)
      .fetch()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({
      status: 404,
      code: 20404,
      moreInfo: 'https://www.twilio.com/docs/errors/20404',
    });
  });

  it('answers 401 (code 20003) for a wrong auth token', async () => {
    const { simulatorTwilioClient } = await import('../src/index.ts');
    const wrong = simulatorTwilioClient(h.sim.url, accountSid, 'not-the-token');
    await expect(wrong.calls.list()).rejects.toMatchObject({ status: 401, code: 20003 });
    const raw = await fetch(`${h.sim.url}/2010-04-01/Accounts/${accountSid}/Calls.json`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });
});
