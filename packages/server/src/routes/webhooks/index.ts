import type { FastifyPluginAsync } from 'fastify';
import formbody from '@fastify/formbody';
import { PayloadError } from '@lifeline/machine';
import { publicUrl, validBodySignature, validFormSignature } from '../../webhooks/signatures.ts';
import { conferenceStatusRoute } from './conference-status.ts';
import { enqueueEndedRoute } from './enqueue-ended.ts';
import { taskRouterEventsRoute } from './taskrouter-events.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received, for Event Streams' bodySHA256 signature. */
    rawBody?: string;
  }
  interface FastifyContextConfig {
    /**
     * How Twilio signs this webhook: 'form' covers the URL and the form parameters,
     * 'body' covers the URL, which carries bodySHA256 of the raw body (Event Streams).
     * `name` labels the webhook in metrics.
     */
    webhook?: { name: string; signature: 'form' | 'body' };
  }
}

/**
 * Twilio's webhooks. One preHandler checks X-Twilio-Signature for every route of the scope
 * (403, nothing changes), against the public URL Twilio called; the routes then validate the
 * payload (400 naming the field) and drive the statechart.
 */
export const webhookRoutes: FastifyPluginAsync = async (hooks) => {
  await hooks.register(formbody);
  // Event Streams: the signature covers the RAW body, so the text is kept beside the parse.
  hooks.addContentTypeParser(
    ['application/json', 'application/cloudevents-batch+json', 'application/cloudevents+json'],
    { parseAs: 'string' },
    (request, body, done) => {
      request.rawBody = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new PayloadError('body', 'is not valid JSON'), undefined);
      }
    },
  );

  hooks.addHook('preHandler', async (request, reply) => {
    const webhook = request.routeOptions.config.webhook;
    const { config, metrics } = hooks.lifeline;
    const header = request.headers['x-twilio-signature'];
    const signature = typeof header === 'string' ? header : undefined;
    const url = publicUrl(config.publicBaseUrl, request.url);
    const valid =
      webhook?.signature === 'form'
        ? validFormSignature(
            config.twilio.authToken,
            signature,
            url,
            request.body as Record<string, string | string[] | undefined>,
          )
        : webhook?.signature === 'body'
          ? validBodySignature(config.twilio.authToken, signature, url, request.rawBody ?? '')
          : false; // a route that does not say how it is signed is never open
    if (valid) return;
    metrics.webhooks.inc({ type: webhook?.name ?? 'unknown', outcome: 'forbidden' });
    return reply
      .code(403)
      .send({ error: 'Forbidden', message: 'X-Twilio-Signature is missing or wrong' });
  });

  await hooks.register(conferenceStatusRoute);
  await hooks.register(taskRouterEventsRoute);
  await hooks.register(enqueueEndedRoute);
};
