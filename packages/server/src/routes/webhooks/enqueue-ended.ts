import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseEnqueueAction, requeueParams, restore } from '@lifeline/machine';
import { enqueueActionUrl } from '../../effects/executors.ts';
import { enqueueTwiml } from '../../effects/twiml.ts';
import { errorResponses } from '../schemas.ts';

const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * The action callback of every Enqueue Lifeline gives the customer. Twilio asks it for the
 * next step when the Enqueue ends (QueueResult). The statechart decides (customer.dequeued);
 * a caller still on the line is answered with a new Enqueue, so they are never dropped.
 */
export const enqueueEndedRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/webhooks/enqueue-ended',
    {
      bodyLimit: 64 * 1024,
      config: { webhook: { name: 'enqueue-ended', signature: 'form' } },
      schema: {
        summary: "Action callback of the customer's Enqueue (form-encoded, signed)",
        tags: ['twiml'],
        querystring: Type.Object({
          conferenceSid: Type.String({ pattern: '^CF[0-9a-fA-F]{32}$' }),
        }),
        body: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { config, engine, store, metrics, now } = app.lifeline;
      const { conferenceSid } = request.query;
      const outcome = await engine.dispatch({
        conferenceSid,
        source: 'enqueue-action',
        event: parseEnqueueAction(request.body, now()),
      });
      metrics.webhooks.inc({ type: 'enqueue-ended', outcome: outcome.kind });
      const stored = outcome.kind === 'applied' ? await store.load(conferenceSid) : null;
      const params = stored === null ? null : requeueParams(restore(stored.snapshot).context);
      const twiml =
        params === null
          ? EMPTY
          : `<?xml version="1.0" encoding="UTF-8"?>${enqueueTwiml(
              params.workflowSid,
              params.priority,
              params.attributes,
              enqueueActionUrl(config.publicBaseUrl, conferenceSid),
            )}`;
      return reply.type('text/xml').send(twiml);
    },
  );
};
