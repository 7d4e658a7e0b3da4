import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow } from '../support/flow.ts';
import { CONF, CUSTOMER } from '../support/payloads.ts';

/**
 * Queuing the customer takes their leg out of the old conference, where a third party waits
 * to be moved. If the customer still has Flex's endConferenceOnExit=true (holdCustomer, which
 * clears it, still being retried after 429s and 503s), their leaving would end the conference
 * and drop that party (e2e seed 442). The enqueue clears the flag itself, first.
 */
describe('queuing the customer out of the old conference', () => {
  const h = useHarness('memory');

  it('clears the customer’s endConferenceOnExit before redirecting the call', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    await flow.pingAccepted(flow.pingTask().sid);
    await h.app.lifeline.runner.drain();

    const customerRequests = h.twilio.calls.filter(
      (c) =>
        c.method === 'POST' &&
        (c.path.endsWith(`/Calls/${CUSTOMER}.json`) ||
          c.path.endsWith(`/Conferences/${CONF}/Participants/${CUSTOMER}.json`)),
    );
    const redirect = customerRequests.findIndex((c) =>
      (c.body['Twiml'] ?? '').includes('<Enqueue'),
    );
    expect(redirect).toBeGreaterThan(0);
    expect(customerRequests[redirect - 1]?.body).toEqual({ EndConferenceOnExit: 'false' });
  });

  it('a customer no longer in the conference is queued all the same', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    h.twilio.participants.set(CONF, []);
    await flow.pingAccepted(flow.pingTask().sid);
    await h.app.lifeline.runner.drain();
    const redirects = h.twilio
      .mutations(`/Calls/${CUSTOMER}.json`)
      .filter((c) => (c.body['Twiml'] ?? '').includes('<Enqueue'));
    expect(redirects).toHaveLength(1);
  });
});
