import { describe, expect, it } from 'vitest';
import type { FakeParticipant } from '../support/fake-twilio.ts';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { CONF, CUSTOMER, EXTERNAL, sid } from '../support/payloads.ts';

const RECONNECT = sid('WT', 81);
const NEW_CONF = sid('CF', 81);
const NEW_AGENT = sid('CA', 81);

const connected = (callSid: string, label: string | null = null): FakeParticipant => ({
  call_sid: callSid,
  label,
  status: 'connected',
  hold: false,
  muted: false,
  coaching: false,
  end_conference_on_exit: false,
});

/**
 * Twilio does not redeliver a status callback that found no server: joins sent while the only
 * instance was down are lost. A starting instance reads them from Twilio.
 */
describe('joins lost while no instance listened', () => {
  const h = useHarness('redis');

  /** A three-party call re-dialing into NEW_CONF, its new conference's callbacks all lost. */
  async function redialWithLostJoins(flow: Flow) {
    await flow.threePartyCall();
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    await flow.pingAccepted(flow.pingTask().sid);
    await h.app.lifeline.runner.drain();
    await flow.reconnectQueued(RECONNECT);
    await flow.reconnectAccepted(RECONNECT);
    await h.app.lifeline.runner.drain();
    expect(await stateOf(h.app)).toEqual({ recovering: 'redialing' });
    h.twilio.conferences.set(NEW_CONF, RECONNECT);
  }

  it("a customer's lost join in the new conference is read from Twilio: the parties move", async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await redialWithLostJoins(flow);
    h.twilio.participants.set(NEW_CONF, [connected(CUSTOMER, 'customer'), connected(NEW_AGENT)]);
    expect(h.twilio.mutations(`/Calls/${EXTERNAL}.json`)).toHaveLength(0);

    // The one instance restarts; the joins sent meanwhile never arrive.
    await h.app.close();
    const restarted = await h.newApp();
    expect(await restarted.lifeline.missedJoins.sweep()).toBeGreaterThan(0);
    await restarted.lifeline.runner.drain();

    // The customer is there: the external party is moved into the new conference.
    const move = h.twilio.mutations(`/Calls/${EXTERNAL}.json`);
    expect(move).toHaveLength(1);
    expect(move[0]?.body['Twiml']).toContain(RECONNECT);
    // And the new conference's own recovery knows who is in it.
    const own = await restarted.lifeline.store.load(NEW_CONF);
    const participants = (
      own?.snapshot as { context?: { participants?: Record<string, unknown> } } | undefined
    )?.context?.participants;
    expect(Object.keys(participants ?? {}).sort()).toEqual([CUSTOMER, NEW_AGENT].sort());
  });

  it("a moved party's lost join ends the re-dial as recovered, nobody reported failed", async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await redialWithLostJoins(flow);
    await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', CUSTOMER);
    await h.app.lifeline.runner.drain();
    expect(h.twilio.mutations(`/Calls/${EXTERNAL}.json`)).toHaveLength(1);
    h.twilio.participants.set(NEW_CONF, [
      connected(CUSTOMER, 'customer'),
      connected(NEW_AGENT),
      connected(EXTERNAL, 'external'),
    ]);

    await h.app.close();
    const restarted = await h.newApp();
    await restarted.lifeline.missedJoins.sweep();

    expect(await stateOf(restarted)).toBe('recovered');
    const stored = await restarted.lifeline.store.load(CONF);
    const parties = (
      stored?.snapshot as
        { context?: { recovery?: { parties?: Record<string, { status: string }> } } } | undefined
    )?.context?.recovery?.parties;
    expect(parties?.[EXTERNAL]?.status).toBe('joined');
  });

  it('sees nothing to deliver when every join was seen, and is harmless twice', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await redialWithLostJoins(flow);
    await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', CUSTOMER);
    h.twilio.participants.set(NEW_CONF, [connected(CUSTOMER, 'customer')]);
    await h.app.lifeline.missedJoins.sweep();
    await h.app.lifeline.missedJoins.sweep();
    await h.app.lifeline.runner.drain();
    // One move of the external party, however often the sweep ran.
    expect(h.twilio.mutations(`/Calls/${EXTERNAL}.json`)).toHaveLength(1);
    expect(await stateOf(h.app)).toEqual({ recovering: 'redialing' });
  });

  it('leaves alone a conference it never heard of that no re-dial awaits (plain Flex)', async () => {
    const other = sid('CF', 84);
    h.twilio.conferences.set(other, sid('WT', 84));
    h.twilio.participants.set(other, [connected(sid('CA', 84)), connected(sid('CA', 85))]);
    expect(await h.app.lifeline.missedJoins.sweep()).toBe(0);
    expect(await h.app.lifeline.store.load(other)).toBeNull();
  });

  it('retries a read answered 5xx', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await redialWithLostJoins(flow);
    h.twilio.participants.set(NEW_CONF, [connected(CUSTOMER, 'customer')]);
    h.twilio.failReadsNext(1, 503);
    await h.app.close();
    const restarted = await h.newApp();
    await restarted.lifeline.missedJoins.sweep();
    await restarted.lifeline.runner.drain();
    expect(h.twilio.mutations(`/Calls/${EXTERNAL}.json`)).toHaveLength(1);
  });
});
