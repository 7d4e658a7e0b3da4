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
