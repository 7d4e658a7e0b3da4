import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PayloadError, parseCloudEvents, toTaskRouterEvent } from '@lifeline/machine';
import type { CloudEvent, TaskRouterEvent } from '@lifeline/machine';
import { publicUrl, validBodySignature } from '../../plugins/signatures.ts';
import { errorResponses } from '../schemas.ts';

const BatchResult = Type.Object({
  ok: Type.Boolean(),
  received: Type.Integer(),
  applied: Type.Integer(),
  ignored: Type.Integer(),
  duplicates: Type.Integer(),
});

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/**
 * TaskRouter Event Streams sink. The signature covers the URL with bodySHA256 of the RAW body,
 * so this route keeps the body as text and parses it itself. Every event of a batch is
 * processed; if any cannot be persisted the answer is 503 and Twilio redelivers the batch
 * (what was already persisted is recognised by CloudEvent id).
 */
export const taskRouterEventsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(
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

  app.post(
    '/webhooks/taskrouter-events',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        summary: 'TaskRouter Event Streams webhook sink (CloudEvents, signed with bodySHA256)',
        tags: ['webhooks'],
        querystring: Type.Object({ bodySHA256: Type.Optional(Type.String()) }),
        response: { 200: BatchResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { config, engine, metrics } = app.lifeline;
      const log = request.log;
      const url = publicUrl(config.publicBaseUrl, request.url);
      const signature = request.headers['x-twilio-signature'];
      if (
        !validBodySignature(
          config.twilio.authToken,
          typeof signature === 'string' ? signature : undefined,
          url,
          request.rawBody ?? '',
        )
      ) {
        metrics.webhooks.inc({ type: 'taskrouter-events', outcome: 'forbidden' });
        return reply
          .code(403)
          .send({ error: 'Forbidden', message: 'X-Twilio-Signature is missing or wrong' });
      }
      const events = parseCloudEvents(request.body);
      // Validate the whole batch before acting, so bad input changes nothing.
      const mapped: { cloudEvent: CloudEvent; event: TaskRouterEvent | null }[] = events.map(
        (cloudEvent, index) => {
          try {
            return { cloudEvent, event: toTaskRouterEvent(cloudEvent) };
          } catch (error) {
            if (error instanceof PayloadError) {
              throw new PayloadError(`body[${index}].${error.field}`, error.problem);
            }
            throw error;
          }
        },
      );
      const counts = { received: events.length, applied: 0, ignored: 0, duplicates: 0 };
      let failed = 0;
      // Batch order is kept within a conference; conferences proceed in parallel.
      const byConference = new Map<string, { cloudEvent: CloudEvent; event: TaskRouterEvent }[]>();
      for (const { cloudEvent, event } of mapped) {
        const conferenceSid = event?.lifeline?.conferenceSid;
        if (event === null || conferenceSid === undefined) {
          counts.ignored += 1;
          metrics.webhooks.inc({ type: 'taskrouter-events', outcome: 'not-lifeline' });
          continue;
        }
        const group = byConference.get(conferenceSid) ?? [];
        group.push({ cloudEvent, event });
        byConference.set(conferenceSid, group);
      }
      await Promise.all(
        [...byConference].map(async ([conferenceSid, group]) => {
          for (const { cloudEvent, event } of group) {
            try {
              const outcome = await engine.dispatch({
                conferenceSid,
                event,
                source: 'event-streams',
                dedupeIds: [`ce:${cloudEvent.id}`],
              });
              if (outcome.kind === 'applied') counts.applied += 1;
              else if (outcome.kind === 'duplicate') counts.duplicates += 1;
              else counts.ignored += 1;
              metrics.webhooks.inc({ type: 'taskrouter-events', outcome: outcome.kind });
            } catch (error) {
              failed += 1;
              metrics.webhooks.inc({ type: 'taskrouter-events', outcome: 'error' });
              log.error(
                { eventId: cloudEvent.id, err: String(error) },
                'event could not be persisted',
              );
            }
          }
        }),
      );
      if (failed > 0) {
        return reply.code(503).send({
          error: 'Unavailable',
          message: `${failed} event(s) could not be persisted; redeliver`,
        });
      }
      return { ok: true, ...counts };
    },
  );
};
