import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseConferenceStatus } from '@lifeline/machine';
import { Accepted, errorResponses } from '../schemas.ts';
import { forwardToRedial } from '../../recovery/redial-forward.ts';

/**
 * Twilio's conference status callbacks (the scope has checked the signature). The payload is
 * validated (400 naming the field), then drives the statechart. Every StatusCallbackEvent is
 * accepted. Joins and leaves are also forwarded to a recovery re-dialing into this conference.
 */
export const conferenceStatusRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/webhooks/conference-status',
    {
      bodyLimit: 64 * 1024,
      config: { webhook: { name: 'conference-status', signature: 'form' } },
      schema: {
        summary: 'Twilio conference status callback (form-encoded, signed)',
        tags: ['webhooks'],
        body: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (request) => {
      const { engine, metrics, store } = app.lifeline;
      const parsed = parseConferenceStatus(request.body);
      // The forward to a recovery re-dialing into this conference and this conference's own
      // step are independent: both at once, so a leave reaches its chart a round trip sooner
      // (in a mass disconnect every round trip waits behind everything else queued). Either
      // failing answers 5xx and Twilio redelivers: the other, already done, is a duplicate.
      const [, outcome] = await Promise.all([
        forwardToRedial(store, engine, parsed),
        engine.dispatch({
          conferenceSid: parsed.conferenceSid,
          event: parsed.event,
          source: 'conference-status',
          // Same conference, sequence number and event: a redelivery.
          dedupeIds: [`cs:${parsed.event.seq}:${parsed.statusCallbackEvent}`],
          // Any callback may be the first: the server learns the call from it, plugin or not.
          create: true,
          firstSight: {
            type: 'conference.discovered',
            at: parsed.event.at,
            friendlyName: parsed.friendlyName,
          },
        }),
      ]);
      metrics.webhooks.inc({ type: 'conference-status', outcome: outcome.kind });
      return {
        ok: true,
        outcome: outcome.kind,
        ...('version' in outcome ? { version: outcome.version } : {}),
      };
    },
  );
};
