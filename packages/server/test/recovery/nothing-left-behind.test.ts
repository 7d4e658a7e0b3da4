import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { CUSTOMER, participantFields } from '../support/payloads.ts';

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
