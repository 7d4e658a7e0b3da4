import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { waitFor } from '@lifeline/simulator';
import { accountSid, answeredCall, standardWorkspace, useHarness } from './harness.ts';

const h = useHarness();

const taskStatus = async (taskSid: string | null) =>
  (await h.ws.tasks(taskSid ?? '').fetch()).assignmentStatus;
/** Waits for the conference callback telling that a call left. */
const leaveOf = (callSid: string) =>
  waitFor(() =>
    h.receiver
      .forms()
      .find((f) => f['StatusCallbackEvent'] === 'participant-leave' && f['CallSid'] === callSid),
  );
const events = () =>
  h.receiver.forms().map((f) => `${f['StatusCallbackEvent']}:${f['ParticipantLabel'] ?? ''}`);

/** What the simulator's IAM endpoint says of a token. */
async function validate(token: string) {
  const response = await fetch(`${h.sim.url}/v1/Accounts/${accountSid}/Tokens/validate`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${accountSid}:${h.sim.options.authToken}`).toString('base64')}`,
    },
    body: JSON.stringify({ token }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('simulated Flex agents', () => {
  it('accepts with the conference instruction, points callbacks at the server and registers', async () => {
    const { alice, customer, call, conferenceSid, setup } = await answeredCall(h);
    expect(h.sim.world.conferences.get(conferenceSid)?.friendlyName).toBe(customer.taskSid);
    const registration = h.receiver.received.find(
      (r) => r.path === `/api/v1/conferences/${conferenceSid}/agents`,
    );
    expect(registration?.headers['authorization']).toBe(`Bearer ${alice.token}`);
    expect(registration?.json).toEqual({
      taskSid: customer.taskSid,
      workflowSid: setup.voiceWorkflowSid,
      taskAttributes: expect.objectContaining({ call_sid: customer.callSid }) as unknown,
      customerCallSid: customer.callSid,
      workerSid: setup.alice.sid,
      reservationSid: call.reservationSid,
      workerCallSid: call.workerCallSid,
      workerName: 'Alice',
    });
    // The token vouches for the worker at the IAM validation endpoint.
    const validation = await fetch(`${h.sim.url}/v1/Accounts/${accountSid}/Tokens/validate`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${accountSid}:${h.sim.options.authToken}`).toString('base64')}`,
      },
      body: JSON.stringify({ token: alice.token }),
    });
    expect(await validation.json()).toMatchObject({
      valid: true,
      worker_sid: setup.alice.sid,
      roles: ['agent'],
    });
    // The worker joins first and fixes the callback; Flex then sets the worker's endConferenceOnExit.
    await waitFor(() => events().includes('participant-modify:worker'));
    expect(events().slice(0, 4)).toEqual([
      'participant-join:worker',
      'conference-start:',
      'participant-join:customer',
      'participant-modify:worker',
    ]);
    // Flex pre-fills the agent's flag true on accept; the plugin's beforeAcceptTask turns it
    // off, so the leg joins unable to end the call until Flex's own update sets it.
    const workerJoin = h.receiver
      .forms()
      .find(
        (f) =>
          f['StatusCallbackEvent'] === 'participant-join' && f['CallSid'] === call.workerCallSid,
      );
    expect(workerJoin?.['EndConferenceOnExit']).toBe('false');
    const modify = h.receiver
      .forms()
      .find((f) => f['StatusCallbackEvent'] === 'participant-modify');
    expect(modify?.['EndConferenceOnExit']).toBe('true');
    expect(modify?.['CallSid']).toBe(call.workerCallSid);
    expect(
      h.receiver.forms().find((f) => f['ParticipantLabel'] === 'customer')?.['EndConferenceOnExit'],
    ).toBe('true');
  });

  it('sets endConferenceOnExit again when participants drop to two, not while three are live', async () => {
    const { call, conferenceSid } = await answeredCall(h);
    const worker = h.client.conferences(conferenceSid).participants(call.workerCallSid);
    await waitFor(
      () =>
        h.sim.world.conferences.get(conferenceSid)?.participants.get(call.workerCallSid)
          ?.endConferenceOnExit,
    );
    await worker.update({ endConferenceOnExit: false }); // what Lifeline's server does on participant-modify
    const external = await h.client
      .conferences(conferenceSid)
      .participants.create({ from: '+15550000000', to: '+15550004444', label: 'external' });
    await waitFor(() => events().includes('participant-join:external'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await worker.fetch()).endConferenceOnExit).toBe(false);
    h.sim.calls.hangup(external.callSid);
    await waitFor(async () => (await worker.fetch()).endConferenceOnExit);
  });

  it('hangs up: tells the server with liveParticipantCount first, then leaves; the task wraps up', async () => {
    const { alice, customer, call, conferenceSid } = await answeredCall(h);
    await waitFor(() => events().includes('participant-modify:worker'));
    await alice.hangup();
    const hangup = h.receiver.received.find((r) =>
      r.path.endsWith(`/agents/${alice.workerSid}/hangup`),
    );
    expect(hangup?.json).toEqual({ liveParticipantCount: 2 });
    const leave = await leaveOf(call.workerCallSid);
    expect(
      hangup !== undefined &&
        h.receiver.received.indexOf(hangup) <
          h.receiver.received.findIndex((r) => r.form === leave),
    ).toBe(true);
    expect(leave['ReasonParticipantLeft']).toBe('participant_hung_up');
    // The worker had endConferenceOnExit=true: the conference ends and the customer is hung up.
    await waitFor(() => h.sim.calls.get(customer.callSid).status === 'completed');
    expect(await taskStatus(customer.taskSid)).toBe('wrapping');
    expect(h.sim.world.conferences.get(conferenceSid)?.status).toBe('completed');
    alice.completeTask();
    expect(await taskStatus(customer.taskSid)).toBe('completed');
  });

  it('refreshes: the leg drops (participant_hung_up), the task wraps, the page comes back and takes its ping and reconnect', async () => {
    const { alice, customer, call, conferenceSid, setup } = await answeredCall(h);
    await waitFor(() => events().includes('participant-modify:worker'));
    // Lifeline's server keeps both in the conference.
    for (const callSid of [call.workerCallSid, customer.callSid]) {
      await h.client
        .conferences(conferenceSid)
        .participants(callSid)
        .update({ endConferenceOnExit: false });
    }
    const oldToken = alice.token;
    alice.refresh({ comebackAfterMs: 100 });
    // The pagehide beacon carries the token in a text body (sendBeacon sets no headers).
    const beacon = await waitFor(() =>
      h.receiver.received.find((r) => r.path.endsWith(`/agents/${alice.workerSid}/unload`)),
    );
    expect(beacon.path).toBe(
      `/api/v1/conferences/${conferenceSid}/agents/${alice.workerSid}/unload`,
    );
    expect(String(beacon.headers['content-type'])).toMatch(/^text\/plain/);
    expect(JSON.parse(beacon.rawBody)).toEqual({ token: oldToken });
    expect(beacon.headers['authorization']).toBeUndefined();
    const leave = await leaveOf(call.workerCallSid);
    expect(leave['ReasonParticipantLeft']).toBe('participant_hung_up');
    expect(h.sim.calls.get(customer.callSid).status).toBe('in-progress');
    expect(await taskStatus(customer.taskSid)).toBe('wrapping');
    // The server pings the worker; the page is away, so the ping waits for it.
    const ping = await h.ws.tasks.create({
      workflowSid: setup.pingWorkflowSid,
      attributes: JSON.stringify({ name: 'Recovery Ping', disconnectedWorkerSid: alice.workerSid }),
      priority: 1000,
      timeout: 15,
    });
    await waitFor(async () => (await taskStatus(ping.sid)) === 'assigned');
    expect(alice.isPresent).toBe(true);
    expect(alice.token).not.toBe(oldToken);
    // The server completes the wrapping reservation and enqueues the customer for Alice.
    await h.ws
      .tasks(customer.taskSid ?? '')
      .reservations(call.reservationSid)
      .update({ reservationStatus: 'completed' });
    const twiml = new twilio.twiml.VoiceResponse();
    twiml
      .enqueue({ workflowSid: setup.voiceWorkflowSid })
      .task(
        { priority: 1000 },
        JSON.stringify({ isReconnect: true, targetWorkerSid: alice.workerSid }),
      );
    await h.client.calls(customer.callSid).update({ twiml: twiml.toString() });
    const second = await waitFor(() => {
      const current = alice.currentCall;
      return current !== null && current.taskSid !== customer.taskSid && current.registered
        ? current
        : null;
    });
    expect(second.customerCallSid).toBe(customer.callSid);
    const newConference = h.sim.world.conferences.get(second.conferenceSid ?? '');
    expect(newConference?.friendlyName).toBe(second.taskSid);
    expect(h.sim.world.conferences.get(conferenceSid)?.status).toBe('completed');
    expect(customer.timeline().ended).toBe(false);
    expect(customer.timeline().heard('agent Alice')).toBe(true);
  });

  it('never comes back: the ping reservation times out until the TTL cancels it', async () => {
    const setup = standardWorkspace(h.sim, { reservationTimeoutS: 3 });
    const alice = h.agents.add({ workerSid: setup.alice.sid });
    alice.refresh({ comebackAfterMs: null });
    const ping = await h.ws.tasks.create({
      workflowSid: setup.pingWorkflowSid,
      attributes: JSON.stringify({ name: 'Recovery Ping', disconnectedWorkerSid: alice.workerSid }),
      timeout: 10,
    });
    await waitFor(async () => (await taskStatus(ping.sid)) === 'canceled');
    const types = h.sim.eventStreams.produced
      .filter((e) => JSON.stringify(e).includes(ping.sid))
      .map((e) => e['type']);
    expect(types).toContain('com.twilio.taskrouter.reservation.timeout');
    expect(types.at(-1)).toBe('com.twilio.taskrouter.task.canceled');
  });

  it('posts a COLD transfer and leaves the call', async () => {
    const { alice, call } = await answeredCall(h);
    await alice.transfer('COLD');
    const transfer = h.receiver.received.find((r) =>
      r.path.endsWith(`/agents/${alice.workerSid}/transfer`),
    );
    expect(transfer?.json).toEqual({ mode: 'COLD' });
    await waitFor(() => h.sim.calls.get(call.workerCallSid).status === 'completed');
  });

  it('lets a beforeAcceptTask listener change the conference options', async () => {
    const setup = standardWorkspace(h.sim);
    h.agents.add({
      workerSid: setup.alice.sid,
      beforeAcceptTask: (payload) => {
        payload.conferenceOptions.conferenceStatusCallback = `${h.receiver.origin}/elsewhere`;
        payload.conferenceOptions.conferenceStatusCallbackEvent = ['start', 'end'];
      },
    });
    h.sim.calls.inbound({ from: '+15551230009', workflowSid: setup.voiceWorkflowSid });
    const forms = await waitFor(() =>
      h.receiver.forms('/elsewhere').length > 0 ? h.receiver.forms('/elsewhere') : null,
    );
    expect(forms.map((f) => f['StatusCallbackEvent'])).toEqual(['conference-start']);
  });

  it('lets the customer hang up at any time: the conference ends and the task wraps up', async () => {
    const { customer, call, conferenceSid } = await answeredCall(h);
    customer.hangup();
    const end = await waitFor(() =>
      h.receiver.forms().find((f) => f['StatusCallbackEvent'] === 'conference-end'),
    );
    expect(end['ReasonConferenceEnded']).toBe('participant-with-end-conference-on-exit-left');
    expect(end['CallSidEndingConference']).toBe(customer.callSid);
    await waitFor(() => h.sim.calls.get(call.workerCallSid).status === 'completed');
    expect(await taskStatus(customer.taskSid)).toBe('wrapping');
    expect(h.sim.world.conferences.get(conferenceSid)?.status).toBe('completed');
    expect(customer.timeline().has('hung up')).toBe(true);
  });
  it('gives a reloaded page a new token; the old one stays valid until it expires, as Flex tokens do', async () => {
    const setup = standardWorkspace(h.sim);
    const agent = h.agents.add({ workerSid: setup.alice.sid });
    const before = agent.token;
    agent.refresh({ comebackAfterMs: null });
    agent.comeBack();
    expect(agent.token).not.toBe(before);
    expect((await validate(before)).body).toMatchObject({ valid: true });
    expect((await validate(agent.token)).body).toMatchObject({ valid: true });
  });
});
