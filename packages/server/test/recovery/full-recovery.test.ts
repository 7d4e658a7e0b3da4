import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { CONF, CUSTOMER, EXTERNAL, RESERVATION, TASK, WORKER, sid } from '../support/payloads.ts';

const RECONNECT = sid('WT', 70);
/** The conference Flex creates when the reconnect task is accepted (named after it). */
const NEW_CONF = sid('CF', 70);

for (const kind of ['memory', 'redis'] as const) {
  describe(`a refresh recovered end to end (${kind} store)`, () => {
    const h = useHarness(kind);

    it('announces, pings, re-queues to the same agent, completes the old reservation and re-dials the third party', async () => {
      const flow = new Flow(() => [h.app], h.twilio);
      const { runner } = h.app.lifeline;
      flow.originalTaskWrapping({ from: '+1555' });
      await flow.threePartyCall();
      await flow.agentDrops();
      expect(await stateOf(h.app)).toEqual({ recovering: { pinging: 'creating' } });
      await runner.drain();

      // Disconnected: announcement, Insights tag on the original task, everyone kept in.
      expect(h.twilio.mutations(`/Conferences/${CONF}.json`)[0]?.body['AnnounceUrl']).toBe(
        'https://lifeline.test/twiml/announcement',
      );
      const tagged = JSON.parse(h.twilio.tasks.get(TASK)?.attributes ?? '{}');
      expect(tagged.conversations).toEqual({
        conversation_id: TASK,
        followed_by: 'Reconnect Agent',
      });
      expect(typeof tagged.disconnectedTime).toBe('string');
      const kept = h.twilio.mutations('/Participants/').map((c) => c.path.split('/').pop());
      expect(kept).toEqual(expect.arrayContaining([`${CUSTOMER}.json`, `${EXTERNAL}.json`]));

      // Pinging: one Recovery Ping task for the same worker.
      const ping = flow.pingTask();
      expect(JSON.parse(ping.attributes)).toMatchObject({
        name: 'Recovery Ping',
        disconnectedWorkerSid: WORKER,
      });
      expect(ping.priority).toBe(1000);
      expect(ping.workflow_sid).toBe(sid('WW', 99));

      await flow.pingAccepted(ping.sid);
      expect(await stateOf(h.app)).toEqual({ recovering: 'reconnecting' });
      await runner.drain();
      const enqueue = h.twilio.mutations(`/Calls/${CUSTOMER}.json`)[0]?.body['Twiml'] ?? '';
      expect(enqueue).toContain(
        `<Enqueue workflowSid="${sid('WW', 1)}" action="https://lifeline.test/webhooks/enqueue-ended?conferenceSid=${CONF}" method="POST">`,
      );
      expect(enqueue).toContain('&quot;isReconnect&quot;:true');
      expect(enqueue).toContain(`&quot;targetWorkerSid&quot;:&quot;${WORKER}&quot;`);
      expect(enqueue).toContain('&quot;preceded_by&quot;:&quot;Agent Disconnect&quot;');
      expect(h.twilio.tasks.get(ping.sid)?.assignment_status).toBe('canceled');

      await flow.reconnectQueued(RECONNECT);
      await runner.drain();
      expect(h.twilio.reservations.get(RESERVATION)).toBe('completed');

      await flow.reconnectAccepted(RECONNECT);
      expect(await stateOf(h.app)).toEqual({ recovering: 'redialing' });
      await runner.drain();
      // Nobody moves before the customer is seen in the new conference.
      expect(h.twilio.mutations(`/Calls/${EXTERNAL}.json`)).toEqual([]);
      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', CUSTOMER);
      await runner.drain();
      const dial = h.twilio.mutations(`/Calls/${EXTERNAL}.json`)[0]?.body['Twiml'] ?? '';
      expect(dial).toContain(`participantLabel="external"`);
      expect(dial).toContain(`>${RECONNECT}</Conference>`);
      // Lifeline hears the new conference whoever creates it.
      expect(dial).toContain('statusCallback="https://lifeline.test/webhooks/conference-status"');
      // The move answering is not an arrival: the party's join in the new conference is.
      expect(await stateOf(h.app)).toEqual({ recovering: 'redialing' });
      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', EXTERNAL);
      expect(await stateOf(h.app)).toBe('recovered');
    });
  });
}
