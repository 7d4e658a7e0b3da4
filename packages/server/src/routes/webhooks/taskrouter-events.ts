import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PayloadError, parseCloudEvents, toTaskRouterEvent } from '@lifeline/machine';
import type { CloudEvent, TaskRouterEvent } from '@lifeline/machine';
import { errorResponses } from '../schemas.ts';

const BatchResult = Type.Object({
  ok: Type.Boolean(),
  received: Type.Integer(),
  applied: Type.Integer(),
  ignored: Type.Integer(),
  duplicates: Type.Integer(),
});

/**
 * TaskRouter Event Streams sink (the scope has checked the signature over the raw body). Every
 * event of a batch is processed; if any cannot be persisted the answer is 503 and Twilio
 * redelivers the batch (what was already persisted is recognised by CloudEvent id).
 */
export const taskRouterEventsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/webhooks/taskrouter-events',
    {
      bodyLimit: 1024 * 1024,
      config: { webhook: { name: 'taskrouter-events', signature: 'body' } },
      schema: {
        summary: 'TaskRouter Event Streams webhook sink (CloudEvents, signed with bodySHA256)',
        tags: ['webhooks'],
        querystring: Type.Object({ bodySHA256: Type.Optional(Type.String()) }),
        response: { 200: BatchResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { engine, metrics } = app.lifeline;
      const log = request.log;
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
