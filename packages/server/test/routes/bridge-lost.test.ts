import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { PUBLIC_BASE_URL } from '../support/app.ts';
import { enqueueEnded } from '../support/enqueue-action.ts';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import {
  AGENT_TOKEN,
  CONF,
  CUSTOMER,
  EXTERNAL,
  WORKER,
  participantFields,
  registration,
  sid,
} from '../support/payloads.ts';

const RECONNECT = sid('WT', 72);
const NEW_CONF = sid('CF', 72);
const NEW_AGENT_CALL = sid('CA', 72);

/**
 * The recovered customer's Enqueue (Lifeline's, with its action URL) ends only when the new
 * conference lets them go. Flex re-sets endConferenceOnExit on the new agent leg and Lifeline
 * undoes it a moment later: a reload in between ends that conference under the customer.
 * The action callback then queues the caller again; an agent's hang-up through Flex ends the
 * call as in Flex.
 */
function bridgedEnded(app: FastifyInstance, callStatus = 'in-progress') {
  return enqueueEnded(app, {
    CallSid: CUSTOMER,
    CallStatus: callStatus,
    QueueResult: 'bridged',
    QueueTime: '12',
  });
}

for (const kind of ['memory', 'redis'] as const) {
  describe(`a recovered customer's new conference lost under them (${kind} store)`, () => {
    const h = useHarness(kind);

    /** Dropped, reconnected to the same agent, everyone in the new conference: recovered. */
    async function recovered(flow: Flow) {
      await flow.reconnectQueuedAfterDrop(RECONNECT);
      await flow.reconnectAccepted(RECONNECT);
      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', CUSTOMER);
      await h.app.lifeline.runner.drain();
      await flow.newConference(NEW_CONF, RECONNECT, 'participant-join', EXTERNAL);
      expect(await stateOf(h.app)).toBe('recovered');
    }

    /** The agent's page in the new conference registers its call (its task is Lifeline's). */
    async function agentRegistersThere() {
      h.twilio.assign({
        conferenceSid: NEW_CONF,
        taskSid: RECONNECT,
        workerSid: WORKER,
        reservationSid: sid('WR', 72),
      });
      const tagged = {
        lifeline: { conferenceSid: CONF, recoveryId: `${CONF}:1`, kind: 'reconnect' },
      };
      const response = await h.app.inject({
        method: 'POST',
        url: `/api/v1/conferences/${NEW_CONF}/agents`,
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
        payload: registration({
          taskSid: RECONNECT,
          taskAttributes: tagged,
          workerCallSid: NEW_AGENT_CALL,
          reservationSid: sid('WR', 72),
        }),
      });
      expect(response.statusCode).toBe(200);
      expect(await h.app.lifeline.store.conferenceBridgedFrom(CONF)).toBe(NEW_CONF);
    }

    it('queues the caller again for any agent when the agent page reloaded and ended it', async () => {
      const flow = new Flow(() => [h.app], h.twilio);
      await recovered(flow);
      await agentRegistersThere();
      // The reload: the agent's leg (endConferenceOnExit re-set by Flex) takes the conference.
      await flow.conference(
        'participant-leave',
        participantFields(NEW_AGENT_CALL, {
          FriendlyName: RECONNECT,
          ReasonParticipantLeft: 'participant_hung_up',
          EndConferenceOnExit: 'true',
        }),
        NEW_CONF,
      );
      const response = await bridgedEnded(h.app);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(`<Enqueue workflowSid="${sid('WW', 1)}"`);
      expect(response.body).toContain(
        `action="${PUBLIC_BASE_URL}/webhooks/enqueue-ended?conferenceSid=${CONF}"`,
      );
      expect(response.body).toContain('&quot;escalated&quot;:true');
      expect(response.body).not.toContain('targetWorkerSid');
      // The finished recovery stays finished.
      expect(await stateOf(h.app)).toBe('recovered');
    });

    it('queues the caller again when nothing is known of how the new conference ended', async () => {
      const flow = new Flow(() => [h.app], h.twilio);
      await recovered(flow);
      const response = await bridgedEnded(h.app);
      expect(response.body).toContain('<Enqueue');
    });

    it('lets the call end when the agent hung up through Flex, or the caller is gone', async () => {
      const flow = new Flow(() => [h.app], h.twilio);
      await recovered(flow);
      await agentRegistersThere();
      const hangup = await h.app.inject({
        method: 'POST',
        url: `/api/v1/conferences/${NEW_CONF}/agents/${WORKER}/hangup`,
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
        payload: { liveParticipantCount: 2 },
      });
      expect(hangup.statusCode).toBe(200);
      for (const callStatus of ['in-progress', 'completed']) {
        const response = await bridgedEnded(h.app, callStatus);
        expect(response.statusCode).toBe(200);
        expect(response.body).not.toContain('<Enqueue');
      }
    });
  });
}
