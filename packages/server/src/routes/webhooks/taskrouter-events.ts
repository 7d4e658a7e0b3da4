import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  PayloadError,
  parseCloudEvents,
  toTaskRouterEvent,
  wrappedTaskOf,
} from '@lifeline/machine';
import type { CloudEvent, ReconcileRequested, TaskRouterEvent } from '@lifeline/machine';
import { errorResponses } from '../schemas.ts';

/** The largest Event Streams delivery taken (see the route). */
const EVENT_STREAMS_BODY_LIMIT = 16 * 1024 * 1024;

const BatchResult = Type.Object({
  ok: Type.Boolean(),
  received: Type.Integer(),
  applied: Type.Integer(),
  ignored: Type.Integer(),
  duplicates: Type.Integer(),
  malformed: Type.Integer(),
});

interface Mapped {
  cloudEvent: CloudEvent;
  event: TaskRouterEvent | null;
  /** A task gone to wrapping: its conference is asked to check who is still there. */
  wrapped: { taskSid: string; at: number } | null;
}

/**
 * One batch item, or the PayloadError that says what is wrong with it (its field named from
 * the batch: body[3].data.task_sid).
 */
function mapItem(item: unknown, index: number, batch: boolean): Mapped | PayloadError {
  const at = batch ? `body[${index}]` : 'body';
  let cloudEvent: CloudEvent | undefined;
  try {
    [cloudEvent] = parseCloudEvents(batch ? [item] : item);
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    return new PayloadError(error.field.replace(/^body(\[0\])?/, at), error.problem);
  }
  if (cloudEvent === undefined) return new PayloadError(at, 'holds no event');
  try {
    return {
      cloudEvent,
      event: toTaskRouterEvent(cloudEvent),
      wrapped: wrappedTaskOf(cloudEvent),
    };
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    return new PayloadError(`${at}.${error.field}`, error.problem);
  }
}

/**
 * TaskRouter Event Streams sink (the scope has checked the signature over the raw body). Every
 * valid event of a batch is processed and malformed ones are skipped (logged, counted); if any
 * valid event cannot be persisted the answer is 503 and Twilio redelivers the batch (what was
 * already persisted is recognised by CloudEvent id).
 */
export const taskRouterEventsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/webhooks/taskrouter-events',
    {
      // Event Streams posts what a batching window gathered, with no documented bound: in a
      // mass disconnect that passed 1 MB (the 500-call scale-out run), and a batch refused
      // with 413 is retried unchanged for 4 hours, then lost with every event in it.
      bodyLimit: EVENT_STREAMS_BODY_LIMIT,
      config: { webhook: { name: 'taskrouter-events', signature: 'body' } },
      schema: {
        summary: 'TaskRouter Event Streams webhook sink (CloudEvents, signed with bodySHA256)',
        tags: ['webhooks'],
        querystring: Type.Object({ bodySHA256: Type.Optional(Type.String()) }),
        response: { 200: BatchResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { engine, metrics, store } = app.lifeline;
      const log = request.log;
      const batch = Array.isArray(request.body);
      const items: unknown[] = batch ? (request.body as unknown[]) : [request.body];
      if (items.length === 0) throw new PayloadError('body', 'holds no events');
      // A malformed event is recorded and skipped, never a reason to refuse the batch: Twilio
      // will not resend what it was told is bad, so refusing would lose the valid events too.
      const mapped: Mapped[] = [];
      let malformed = 0;
      items.forEach((item, index) => {
        const result = mapItem(item, index, batch);
        if (result instanceof PayloadError) {
          malformed += 1;
          metrics.webhooks.inc({ type: 'taskrouter-events', outcome: 'malformed' });
          log.warn({ field: result.field, problem: result.problem }, 'malformed event skipped');
        } else {
          mapped.push(result);
        }
      });
      // Nothing usable at all (a single malformed event): the sender's mistake, 400.
      if (mapped.length === 0 && !batch) throw mapItem(request.body, 0, false);
      const counts = {
        received: items.length,
        applied: 0,
        ignored: 0,
        duplicates: 0,
        malformed,
      };
      let failed = 0;
      // Batch order is kept within a conference; conferences proceed in parallel.
      const byConference = new Map<
        string,
        { cloudEvent: CloudEvent; event: TaskRouterEvent | ReconcileRequested }[]
      >();
      // The wrapped tasks' conferences, looked up together: one at a time, a mass
      // disconnect's batch (hundreds of wrap-ups) spent its 5 s deadline in round trips.
      const wrappedConferences = await Promise.all(
        mapped.map(({ wrapped }) =>
          wrapped === null ? null : store.conferenceForTask(wrapped.taskSid),
        ),
      );
      for (const [index, { cloudEvent, event, wrapped }] of mapped.entries()) {
        if (wrapped !== null) {
          // The agent's leg left the call of this task. A conference still believing it there
          // lost that leave (callbacks are not retried): it reads Twilio's participants again.
          const conferenceSid = wrappedConferences[index] ?? null;
          if (conferenceSid === null) {
            counts.ignored += 1;
            continue;
          }
          const reconcile: ReconcileRequested = {
            type: 'reconcile.requested',
            at: wrapped.at,
            // One reconcile per wrap-up: a redelivery of it asks for the same one.
            round: wrapped.at,
          };
          const group = byConference.get(conferenceSid) ?? [];
          group.push({ cloudEvent, event: reconcile });
          byConference.set(conferenceSid, group);
          continue;
        }
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
