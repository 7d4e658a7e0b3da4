import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CustomerDequeued, EffectParams, RecoverySnapshot } from '@lifeline/machine';
import {
  bridgeEndOf,
  isCallerOnTheLine,
  parseEnqueueAction,
  requeueAfterLostBridge,
  requeueParams,
  restore,
} from '@lifeline/machine';
import { enqueueActionUrl } from '../../effects/executors.ts';
import { enqueueTwiml } from '../../effects/twiml.ts';
import type { RecoveryStore } from '../../store/types.ts';
import { errorResponses } from '../schemas.ts';

const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

async function snapshotOf(store: RecoveryStore, sid: string): Promise<RecoverySnapshot | null> {
  const stored = await store.load(sid);
  return stored === null ? null : restore(stored.snapshot);
}

/**
 * The conference the recovery's customer was bridged into: the newest one whose task this
 * recovery queued (indexed when that conference's call became known), else the one its
 * re-dial saw the customer in.
 */
async function bridgedConference(
  store: RecoveryStore,
  conferenceSid: string,
  owner: RecoverySnapshot | null,
): Promise<string | null> {
  return (
    (await store.conferenceBridgedFrom(conferenceSid)) ??
    owner?.context.recovery?.newConferenceSid ??
    null
  );
}

/**
 * The action callback of every Enqueue Lifeline gives the customer. Twilio asks it for the
 * next step when the Enqueue ends (QueueResult). The statechart decides (customer.dequeued);
 * a caller still on the line is answered with a new Enqueue, so they are never dropped.
 *
 * QueueResult=bridged with the caller still there means the conference TaskRouter bridged
 * them into has ended. How it ended is that conference's recovery's to say (an agent's
 * hang-up through Flex, or lost under the customer), so it is read from there and given to
 * the statechart with the event. A recovery already finished cannot take the event; its
 * snapshot still says what to queue (requeueAfterLostBridge).
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
      let event: CustomerDequeued = parseEnqueueAction(request.body, now());
      let bridged: string | null = null;
      if (event.queueResult === 'bridged' && isCallerOnTheLine(event.callStatus)) {
        const owner = await snapshotOf(store, conferenceSid);
        bridged = await bridgedConference(store, conferenceSid, owner);
        const bridgeEnd = bridgeEndOf(bridged === null ? null : await snapshotOf(store, bridged));
        event = { ...event, bridgeEnd };
      }
      const outcome = await engine.dispatch({ conferenceSid, source: 'enqueue-action', event });
      metrics.webhooks.inc({ type: 'enqueue-ended', outcome: outcome.kind });
      const after = await snapshotOf(store, conferenceSid);
      let params: EffectParams['enqueueCustomer'] | null =
        outcome.kind === 'applied' && after !== null ? requeueParams(after.context) : null;
      if (params === null && after !== null && bridged !== null) {
        params = requeueAfterLostBridge(after, event, bridged);
        if (params !== null) {
          // Told here, as the finished recovery's timeline cannot take it.
          request.log.warn(
            { conferenceSid, bridgedConferenceSid: bridged, key: params.key },
            'the conference the recovered customer was in was lost under them: queued again',
          );
          metrics.webhooks.inc({ type: 'enqueue-ended', outcome: 'requeued-after-lost-bridge' });
        }
      }
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
