import { describe, expect, it } from 'vitest';
import type { FakeParticipant } from '../support/fake-twilio.ts';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { CUSTOMER, EXTERNAL, sid } from '../support/payloads.ts';

const RECONNECT = sid('WT', 82);
const NEW_CONF = sid('CF', 82);
const OTHER_CONF = sid('CF', 83);

const participant = (
  callSid: string,
  status: FakeParticipant['status'] = 'connected',
): FakeParticipant => ({
  call_sid: callSid,
  label: null,
  status,
  hold: false,
  muted: false,
  coaching: false,
  end_conference_on_exit: false,
});

/**
 * With no sign of the customer in the new conference by the re-dial timeout, the server asks
 * Twilio where the customer is (the locateCustomer effect, effects/customer-whereabouts.ts).
 */
describe('locating the customer of a re-dial', () => {
  const h = useHarness('redis');

  /** A three-party call re-dialing into RECONNECT's conference, timed out with no join seen. */
  async function locating() {
    const flow = new Flow(() => [h.app], h.twilio);
    const { runner, timers } = h.app.lifeline;
    await flow.threePartyCall();
    await flow.agentDrops();
    await runner.drain();
    await flow.pingAccepted(flow.pingTask().sid);
    await runner.drain();
    await flow.reconnectQueued(RECONNECT);
    await flow.reconnectAccepted(RECONNECT);
    await runner.drain();
    h.clock.now += 31_000;
    await timers.fireDue();
    expect(await stateOf(h.app)).toEqual({ recovering: 'locating' });
    return flow;
  }

  it('found connected in the new conference (its callbacks lost): the parties move', async () => {
    await locating();
    h.twilio.conferences.set(NEW_CONF, RECONNECT);
    h.twilio.participants.set(NEW_CONF, [participant(CUSTOMER)]);
    await h.app.lifeline.runner.drain();
    expect(await stateOf(h.app)).toEqual({ recovering: 'redialing' });
    expect(h.twilio.mutations(`/Calls/${EXTERNAL}.json`)).toHaveLength(1);
  });

  it('still ringing into it, or in a conference of another name, is not there: queued again', async () => {
    await locating();
    h.twilio.conferences.set(NEW_CONF, RECONNECT);
    h.twilio.participants.set(NEW_CONF, [participant(CUSTOMER, 'connecting')]);
    h.twilio.conferences.set(OTHER_CONF, sid('WT', 83));
    h.twilio.participants.set(OTHER_CONF, [participant(CUSTOMER)]);
    await h.app.lifeline.runner.drain();
    expect(await stateOf(h.app)).toEqual({ recovering: 'escalated' });
    expect(h.twilio.mutations(`/Calls/${CUSTOMER}.json`).at(-1)?.body['Twiml']).toContain(
      '<Enqueue',
    );
  });

  it('a call that ended is gone, whatever a participant list still shows: abandoned', async () => {
    await locating();
    h.twilio.conferences.set(NEW_CONF, RECONNECT);
    h.twilio.participants.set(NEW_CONF, [participant(CUSTOMER)]);
    h.twilio.callStatuses.set(CUSTOMER, 'completed');
    await h.app.lifeline.runner.drain();
    expect(await stateOf(h.app)).toBe('abandoned');
  });

  it('a call Twilio no longer knows (404) is gone too', async () => {
    await locating();
    h.twilio.callStatuses.set(CUSTOMER, 'not-found');
    await h.app.lifeline.runner.drain();
    expect(await stateOf(h.app)).toBe('abandoned');
  });

  it('a read answered 5xx is retried, then answers', async () => {
    await locating();
    h.twilio.conferences.set(NEW_CONF, RECONNECT);
    h.twilio.participants.set(NEW_CONF, [participant(CUSTOMER)]);
    h.twilio.failReadsNext(2, 503);
    const { runner } = h.app.lifeline;
    await runner.drain();
    expect(await stateOf(h.app)).toEqual({ recovering: 'locating' });
    // Retries are due in the future: move the apps' clock on until Twilio answered.
    for (
      let round = 0;
      round < 40 && h.twilio.mutations(`/Calls/${EXTERNAL}.json`).length === 0;
      round += 1
    ) {
      h.clock.now += 1_000;
      await runner.drain();
    }
    expect(await stateOf(h.app)).toEqual({ recovering: 'redialing' });
    expect(h.twilio.mutations(`/Calls/${EXTERNAL}.json`)).toHaveLength(1);
  });
});
