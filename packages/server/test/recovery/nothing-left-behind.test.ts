import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { enqueueEnded } from '../support/enqueue-action.ts';
import { CUSTOMER, participantFields, sid } from '../support/payloads.ts';

describe('nothing left behind', () => {
  const h = useHarness('memory');

  it('completes a Recovery Ping accepted after the customer hung up', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    const ping = flow.pingTask();
    // The agent accepts the ping just as the customer hangs up: the cancel finds it assigned.
    ping.assignment_status = 'assigned';
    await flow.conference(
      'participant-leave',
      participantFields(CUSTOMER, { ReasonParticipantLeft: 'participant_hung_up' }),
    );
    expect(await stateOf(h.app)).toBe('abandoned');
    await h.app.lifeline.runner.drain();
    expect(h.twilio.tasks.get(ping.sid)?.assignment_status).toBe('completed');
  });
});

describe('a customer task accepted just as the customer hung up in the queue', () => {
  const h = useHarness('memory');
  const RECONNECT = sid('WT', 73);
  const NEW_CONF = sid('CF', 73);

  it('ends the call the agent got once it exists, then completes the task', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.reconnectQueuedAfterDrop(RECONNECT);
    // Accepted at TaskRouter; its event has not reached Lifeline when the hang-up does.
    h.twilio.tasks.set(RECONNECT, {
      sid: RECONNECT,
      attributes: '{}',
      assignment_status: 'assigned',
      priority: 0,
      workflow_sid: sid('WW', 1),
      version: 0,
    });
    const hangup = await enqueueEnded(h.app, {
      CallSid: CUSTOMER,
      CallStatus: 'completed',
      QueueResult: 'hangup',
    });
    expect(hangup.statusCode).toBe(200);
    expect(await stateOf(h.app)).toBe('abandoned');
    const { runner } = h.app.lifeline;
    await runner.drain();
    // The agent's leg is still ringing: no conference yet, so nothing is completed yet.
    expect(h.twilio.tasks.get(RECONNECT)?.assignment_status).toBe('assigned');
    h.twilio.conferences.set(NEW_CONF, RECONNECT);
    for (
      let i = 0;
      i < 10 && h.twilio.tasks.get(RECONNECT)?.assignment_status === 'assigned';
      i++
    ) {
      h.clock.now += 1_000;
      await runner.drain();
    }
    expect(
      h.twilio.mutations(`/Conferences/${NEW_CONF}.json`).map((c) => c.body['Status']),
    ).toEqual(['completed']);
    expect(h.twilio.tasks.get(RECONNECT)?.assignment_status).toBe('completed');
  });
});

describe('a task that moves on between our read and our update', () => {
  const h = useHarness('memory');

  it('a ping accepted between the cancel’s fetch and its update is completed, not left assigned', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    const ping = flow.pingTask();
    ping.assignment_status = 'reserved';
    // The fetch sees it reserved; the agent accepts before the cancel lands (e2e seed 238).
    h.twilio.afterNextFetch(ping.sid, (task) => {
      task.assignment_status = 'assigned';
    });
    await flow.conference(
      'participant-leave',
      participantFields(CUSTOMER, { ReasonParticipantLeft: 'participant_hung_up' }),
    );
    expect(await stateOf(h.app)).toBe('abandoned');
    await h.app.lifeline.runner.drain();
    const updates = h.twilio.mutations(`/Tasks/${ping.sid}`).map((c) => c.body['AssignmentStatus']);
    expect(updates).toEqual(['canceled', 'completed']);
    expect(h.twilio.tasks.get(ping.sid)?.assignment_status).toBe('completed');
  });
});
