import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { KeyLayout } from '../../src/store/keys.ts';
import { redisClient } from '../support/app.ts';
import {
  CONF,
  CUSTOMER,
  EXTERNAL,
  TASK,
  conferenceCallback,
  participantFields,
  sid,
} from '../support/payloads.ts';

const RECONNECT = sid('WT', 71);
const NEW_CONF = sid('CF', 71);

for (const kind of ['memory', 'redis'] as const) {
  describe(`the new conference's callbacks reach the re-dialing recovery (${kind} store)`, () => {
    const h = useHarness(kind);

    /** A three-party call dropped and reconnected: the reconnect task is about to be accepted. */
    async function queued(flow: Flow) {
      await flow.reconnectQueuedAfterDrop(RECONNECT);
    }

    const moves = () => h.twilio.mutations(`/Calls/${EXTERNAL}.json`);

    it('indexes the new conference by name on acceptance, with an expiry, and forwards its joins', async () => {
      const flow = new Flow(() => [h.app], h.twilio);
      const { store, runner } = h.app.lifeline;
      await queued(flow);
      expect(await store.noteRedialCallback(RECONNECT, '{}')).toBeNull();

      await flow.reconnectAccepted(RECONNECT);
      expect(await store.noteRedialCallback(RECONNECT, '{}')).toBe(CONF);
      if (kind === 'redis') {
        const client = redisClient(kind);
        try {
          // The log is a key of its own; the index a field of its bucket (routing-index.ts).
          const keys = await client.keys(`${h.prefix}:*redial*${RECONNECT}`);
          expect(keys).toHaveLength(1);
          const bucket = new KeyLayout(h.prefix).indexBucket(`redial:${RECONNECT}`);
          expect(await client.hget(bucket, `redial:${RECONNECT}`)).toMatch(/^CF/);
          for (const key of [...keys, bucket]) expect(await client.ttl(key)).toBeGreaterThan(0);
        } finally {
          client.disconnect();
        }
      }

      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', CUSTOMER);
      await runner.drain();
      expect(moves()).toHaveLength(1);
      // The new conference still learns the call itself: a drop there is its own recovery.
      expect(await h.app.lifeline.store.load(NEW_CONF)).not.toBeNull();

      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', EXTERNAL);
      expect(await stateOf(h.app)).toBe('recovered');
      // Forwarded by the route (a read-back of the customer's join would change nothing).
      const timeline = await store.timeline(CONF);
      const applied = timeline.filter(
        (e) =>
          e.name === 'redial.partyJoined' &&
          (e.detail as { outcome?: string }).outcome === 'applied',
      );
      expect(applied.map((e) => (e.detail as { callSid?: string }).callSid)).toEqual([
        CUSTOMER,
        EXTERNAL,
      ]);
    });

    it('does not lose a join delivered before the acceptance: it is read back after it', async () => {
      const flow = new Flow(() => [h.app], h.twilio);
      await queued(flow);
      // Voice callbacks overtook Event Streams: the customer is in before Lifeline knows.
      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', CUSTOMER);
      await h.app.lifeline.runner.drain();
      expect(moves()).toEqual([]);

      await flow.reconnectAccepted(RECONNECT);
      await h.app.lifeline.runner.drain();
      expect(moves()).toHaveLength(1);
      expect(moves()[0]?.body['Twiml']).toContain(`>${RECONNECT}</Conference>`);
    });

    it('applies a redelivered forward once', async () => {
      const flow = new Flow(() => [h.app], h.twilio);
      await queued(flow);
      await flow.reconnectAccepted(RECONNECT);
      const join = conferenceCallback(
        'participant-join',
        participantFields(CUSTOMER, { FriendlyName: RECONNECT }),
        NEW_CONF,
      );
      for (let i = 0; i < 2; i += 1) {
        const response = await h.app.inject({
          method: 'POST',
          url: '/webhooks/conference-status',
          headers: join.headers,
          payload: join.payload,
        });
        expect(response.statusCode).toBe(200);
      }
      const timeline = await h.app.lifeline.store.timeline(CONF);
      const applied = timeline.filter(
        (e) =>
          e.name === 'redial.partyJoined' &&
          (e.detail as { outcome?: string }).outcome === 'applied',
      );
      expect(applied).toHaveLength(1);
    });

    it('holds a party again in the new conference when it was held in the old one', async () => {
      const flow = new Flow(() => [h.app], h.twilio);
      h.twilio.tasks.set(TASK, {
        sid: TASK,
        attributes: JSON.stringify({ conversations: { conversation_id: TASK } }),
        assignment_status: 'wrapping',
        priority: 0,
        workflow_sid: sid('WW', 1),
        version: 0,
      });
      await flow.threePartyCall();
      await flow.conference('participant-hold', participantFields(EXTERNAL, { Hold: 'true' }));
      await flow.agentDrops();
      await h.app.lifeline.runner.drain();
      await flow.pingAccepted(flow.pingTask().sid);
      await flow.reconnectQueued(RECONNECT);
      await flow.reconnectAccepted(RECONNECT);
      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', CUSTOMER);
      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', EXTERNAL);
      await h.app.lifeline.runner.drain();
      const holds = h.twilio
        .mutations(`/Conferences/${NEW_CONF}/Participants/${EXTERNAL}.json`)
        .map((c) => c.body['Hold']);
      expect(holds).toEqual(['true']);
      expect(await stateOf(h.app)).toBe('recovered');
    });
  });
}
