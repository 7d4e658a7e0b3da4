/**
 * The plugin's report that its agent accepted the Recovery Ping: the recovery moves on as soon
 * as TaskRouter confirms it, not when Event Streams gets round to it, and only then.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { AGENT_TOKEN, CONF, WORKER, sid } from '../support/payloads.ts';

const PING_RESERVATION = sid('WR', 60);
const INTRUDER = sid('WK', 66);
const INTRUDER_TOKEN = 'intruder-token-1';

describe('the plugin reports the Recovery Ping accepted', () => {
  const h = useHarness();

  /** A dropped call with its ping created, in `status` at TaskRouter. */
  async function pinging(status: string) {
    const flow = new Flow(() => [h.app], h.twilio);
    flow.originalTaskWrapping();
    await flow.threePartyCall();
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    const ping = flow.pingTask();
    ping.assignment_status = status;
    return { flow, ping };
  }

  const report = (
    body: { taskSid: string; reservationSid: string },
    token = AGENT_TOKEN,
    workerSid = WORKER,
    conferenceSid = CONF,
  ) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${conferenceSid}/agents/${workerSid}/ping-accepted`,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });

  it('moves the recovery on once TaskRouter confirms, and Event Streams later changes nothing', async () => {
    const { flow, ping } = await pinging('assigned');
    const response = await report({ taskSid: ping.sid, reservationSid: PING_RESERVATION });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, outcome: 'applied' });
    expect(await stateOf(h.app)).toEqual({ recovering: 'reconnecting' });
    await h.app.lifeline.runner.drain();
    const effectsBefore = h.twilio.calls.length;

    // Said again by the plugin, then by Event Streams: the same acceptance, nothing new to do.
    const again = await report({ taskSid: ping.sid, reservationSid: PING_RESERVATION });
    expect(again.statusCode).toBe(200);
    expect(['duplicate', 'unchanged']).toContain(again.json().outcome);
    await flow.pingAccepted(ping.sid);
    await h.app.lifeline.runner.drain();
    expect(await stateOf(h.app)).toEqual({ recovering: 'reconnecting' });
    const mutations = h.twilio.calls.slice(effectsBefore).filter((c) => c.method === 'POST');
    expect(mutations).toEqual([]);
    // The ping was completed and the customer queued once.
    expect(h.twilio.mutations(`/Tasks/${ping.sid}`)).toHaveLength(1);
    expect(
      h.twilio.mutations(`/Calls/`).filter((c) => c.body['Twiml']?.includes('Enqueue')),
    ).toHaveLength(1);
  });

  it('refuses what TaskRouter does not confirm, and changes nothing', async () => {
    const { ping } = await pinging('reserved');
    h.twilio.tokens.set(INTRUDER_TOKEN, { worker_sid: INTRUDER, roles: ['agent'] });
    const before = await h.app.lifeline.store.load(CONF);

    // Offered, not yet accepted at TaskRouter.
    const early = await report({ taskSid: ping.sid, reservationSid: PING_RESERVATION });
    expect(early.statusCode).toBe(403);
    // Another worker naming itself, or the agent's own reservation: not theirs to report.
    expect(
      (await report({ taskSid: ping.sid, reservationSid: PING_RESERVATION }, INTRUDER_TOKEN))
        .statusCode,
    ).toBe(403);
    ping.assignment_status = 'assigned';
    expect(
      (
        await report(
          { taskSid: ping.sid, reservationSid: PING_RESERVATION },
          INTRUDER_TOKEN,
          INTRUDER,
        )
      ).statusCode,
    ).toBe(403);
    // A task that is no ping of this conference, a conference the ping is not of.
    const original = await report({ taskSid: sid('WT', 1), reservationSid: PING_RESERVATION });
    expect(original.statusCode).toBe(403);
    const elsewhere = await report(
      { taskSid: ping.sid, reservationSid: PING_RESERVATION },
      AGENT_TOKEN,
      WORKER,
      sid('CF', 9),
    );
    expect(elsewhere.statusCode).toBe(403);
    expect(await h.app.lifeline.store.load(CONF)).toEqual(before);
    expect(await stateOf(h.app)).toEqual({ recovering: { pinging: 'offered' } });
  });

  it('answers 400 for a body that is not a ping report', async () => {
    const response = await report({ taskSid: 'nope', reservationSid: PING_RESERVATION });
    expect(response.statusCode).toBe(400);
  });
});
