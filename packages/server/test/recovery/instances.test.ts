import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { CUSTOMER, EXTERNAL, RESERVATION, sid } from '../support/payloads.ts';

const RECONNECT = sid('WT', 80);
const NEW_CONF = sid('CF', 80);

/** Waits for a condition the apps' background loops bring about; bounded, no fixed sleeps. */
async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('several instances on one Redis', () => {
  const h = useHarness('redis');

  it('delivering every event to two instances at once gives one outcome and each effect once', async () => {
    const second = await h.newApp({ runLoops: true });
    await h.app.close();
    const first = await h.newApp({ runLoops: true });
    const flow = new Flow(() => [first, second], h.twilio);

    await flow.threePartyCall();
    await flow.agentDrops();
    await until(
      () => [...h.twilio.tasks.values()].some((t) => t.attributes.includes('"kind":"ping"')),
      'the ping task',
    );
    await flow.pingAccepted(flow.pingTask().sid);
    await until(() => h.twilio.mutations(`/Calls/${CUSTOMER}.json`).length > 0, 'the enqueue');
    await flow.reconnectQueued(RECONNECT);
    await until(
      () => h.twilio.reservations.get(RESERVATION) === 'completed',
      'the reservation completion',
    );
    await flow.reconnectAccepted(RECONNECT);
    // The customer, then the moved party, seen in the new conference (by both instances).
    await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', CUSTOMER);
    await until(() => h.twilio.mutations(`/Calls/${EXTERNAL}.json`).length > 0, 'the move');
    await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', EXTERNAL);
    await until(async () => (await stateOf(first)) === 'recovered', 'recovered');

    expect(await stateOf(second)).toBe('recovered');
    const pings = [...h.twilio.tasks.values()].filter((t) =>
      t.attributes.includes('"kind":"ping"'),
    );
    expect(pings).toHaveLength(1);
    expect(h.twilio.mutations('/Tasks').filter((c) => c.path.endsWith('/Tasks'))).toHaveLength(1);
    expect(h.twilio.mutations(`/Calls/${CUSTOMER}.json`)).toHaveLength(1);
    expect(h.twilio.mutations(`/Calls/${EXTERNAL}.json`)).toHaveLength(1);
    expect(h.twilio.mutations(`/Reservations/${RESERVATION}`)).toHaveLength(1);
    expect(
      h.twilio.mutations('/Conferences/').filter((c) => c.body['AnnounceUrl'] !== undefined),
    ).toHaveLength(1);
  });

  it('an app closed mid-recovery is finished by a new app on the same Redis, and its timer still fires', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    await flow.agentDrops();
    expect(await stateOf(h.app)).toEqual({ recovering: { pinging: 'creating' } });
    // The instance goes away before running any effect.
    await h.app.close();

    const restarted = await h.newApp();
    await restarted.lifeline.runner.drain();
    expect(flow.pingTask()).toBeDefined();

    // The ping TTL (15 s) plus grace passes with no answer: the durable timer fires.
    h.clock.now += 21_000;
    expect(await restarted.lifeline.timers.fireDue()).toBe(1);
    expect(await stateOf(restarted)).toEqual({ recovering: 'escalated' });
    await restarted.lifeline.runner.drain();
    const escalation = h.twilio.mutations(`/Calls/${CUSTOMER}.json`)[0]?.body['Twiml'] ?? '';
    expect(escalation).toContain('&quot;escalated&quot;:true');
    expect(escalation).not.toContain('targetWorkerSid');
    expect(h.twilio.tasks.get(flow.pingTask().sid)?.assignment_status).toBe('canceled');
  });
});
