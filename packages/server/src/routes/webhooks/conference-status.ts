import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseConferenceStatus } from '@lifeline/machine';
import { publicUrl, validFormSignature } from '../../plugins/signatures.ts';
import { Accepted, errorResponses } from '../schemas.ts';

/**
 * Twilio's conference status callbacks. Signature first (403, nothing changes), then the
 * payload (400 naming the field), then the statechart. Every StatusCallbackEvent is accepted.
 */
export const conferenceStatusRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/webhooks/conference-status',
    {
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'Twilio conference status callback (form-encoded, signed)',
        tags: ['webhooks'],
        body: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { config, engine, metrics } = app.lifeline;
      const url = publicUrl(config.publicBaseUrl, request.url);
      const signature = request.headers['x-twilio-signature'];
      if (
        !validFormSignature(
          config.twilio.authToken,
          typeof signature === 'string' ? signature : undefined,
          url,
          request.body,
        )
      ) {
        metrics.webhooks.inc({ type: 'conference-status', outcome: 'forbidden' });
        return reply
          .code(403)
          .send({ error: 'Forbidden', message: 'X-Twilio-Signature is missing or wrong' });
      }
      const parsed = parseConferenceStatus(request.body);
      const outcome = await engine.dispatch({
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
      });
      metrics.webhooks.inc({ type: 'conference-status', outcome: outcome.kind });
      return {
        ok: true,
        outcome: outcome.kind,
        ...('version' in outcome ? { version: outcome.version } : {}),
      };
    },
  );
};
