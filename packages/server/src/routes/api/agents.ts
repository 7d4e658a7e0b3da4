import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {
  AgentHungUp,
  AgentTransferred,
  JsonObject,
  ReservationAccepted,
} from '@lifeline/machine';
import { provePingAccepted } from '../../auth/ping-proof.ts';
import { assertActsFor, assertIsWorker } from '../../auth/flex-auth.ts';
import { proveRegistration } from '../../auth/registration-proof.ts';
import { assertJsonBounds } from '../json-bounds.ts';
import { Accepted, Sid, errorResponses } from '../schemas.ts';

const ConferenceParams = Type.Object({ conferenceSid: Sid('CF') });
const AgentParams = Type.Object({ conferenceSid: Sid('CF'), workerSid: Sid('WK') });

const Registration = Type.Object(
  {
    taskSid: Sid('WT'),
    workflowSid: Sid('WW'),
    taskAttributes: Type.Record(Type.String(), Type.Unknown()),
    customerCallSid: Sid('CA'),
    workerSid: Sid('WK'),
    reservationSid: Sid('WR'),
    workerCallSid: Sid('CA'),
    workerName: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

/** The plugin's calls about one agent in one conference. */
export const agentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** An event about an agent of a tracked conference: 404 when the conference is unknown. */
  async function dispatchForAgent(
    reply: FastifyReply,
    conferenceSid: string,
    event: AgentHungUp | AgentTransferred | ReservationAccepted,
    dedupeIds?: string[],
  ) {
    const outcome = await app.lifeline.engine.dispatch({
      conferenceSid,
      source: 'api',
      event,
      ...(dedupeIds === undefined ? {} : { dedupeIds }),
    });
    if (outcome.kind === 'unknown-conference') {
      return reply.code(404).send({ error: 'Not Found', message: 'no such conference is tracked' });
    }
    return { ok: true, outcome: outcome.kind };
  }

  /** An agent's own action on a tracked conference. */
  async function actForAgent(
    request: FastifyRequest<{ Params: { conferenceSid: string; workerSid: string } }>,
    reply: FastifyReply,
    event: AgentHungUp | AgentTransferred,
  ) {
    assertActsFor(request.flex, request.params.workerSid);
    return dispatchForAgent(reply, request.params.conferenceSid, event);
  }

  app.post(
    '/conferences/:conferenceSid/agents',
    {
      schema: {
        summary:
          'Register an agent after accept (idempotent); TaskRouter must confirm the task and reservation',
        tags: ['plugin'],
        params: ConferenceParams,
        body: Registration,
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body;
      assertIsWorker(request.flex, body.workerSid);
      assertJsonBounds('body.taskAttributes', body.taskAttributes);
      // Proven before anything is written: a refused registration changes nothing.
      const { twilio, config } = app.lifeline;
      await proveRegistration(twilio.authClient, config.twilio.workspaceSid, {
        conferenceSid: request.params.conferenceSid,
        taskSid: body.taskSid,
        workerSid: body.workerSid,
        reservationSid: body.reservationSid,
      });
      const outcome = await app.lifeline.engine.dispatch({
        conferenceSid: request.params.conferenceSid,
        create: true,
        source: 'api',
        event: {
          type: 'agent.registered',
          at: app.lifeline.now(),
          ...body,
          taskAttributes: body.taskAttributes as JsonObject,
        },
        index: { workerSids: [body.workerSid], taskSids: [body.taskSid] },
      });
      return {
        ok: true,
        outcome: outcome.kind,
        ...('version' in outcome ? { version: outcome.version } : {}),
      };
    },
  );

  app.post(
    '/conferences/:conferenceSid/agents/:workerSid/hangup',
    {
      schema: {
        summary: 'The agent hangs up through Flex: a graceful exit, not a drop',
        tags: ['plugin'],
        params: AgentParams,
        body: Type.Object(
          { liveParticipantCount: Type.Integer({ minimum: 0, maximum: 250 }) },
          { additionalProperties: false },
        ),
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (request, reply) =>
      actForAgent(request, reply, {
        type: 'agent.hungUp',
        at: app.lifeline.now(),
        workerSid: request.params.workerSid,
        liveParticipantCount: request.body.liveParticipantCount,
      }),
  );

  app.post(
    '/conferences/:conferenceSid/agents/:workerSid/transfer',
    {
      schema: {
        summary: 'The agent transfers the task; COLD removes the agent without recovery',
        tags: ['plugin'],
        params: AgentParams,
        body: Type.Object(
          { mode: Type.Union([Type.Literal('COLD'), Type.Literal('WARM')]) },
          { additionalProperties: false },
        ),
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (request, reply) =>
      actForAgent(request, reply, {
        type: 'agent.transferred',
        at: app.lifeline.now(),
        workerSid: request.params.workerSid,
        mode: request.body.mode,
      }),
  );

  app.post(
    '/conferences/:conferenceSid/agents/:workerSid/ping-accepted',
    {
      schema: {
        summary:
          'The agent accepted its Recovery Ping (idempotent); TaskRouter must confirm it. Event Streams reports it too, later',
        tags: ['plugin'],
        params: AgentParams,
        body: Type.Object(
          { taskSid: Sid('WT'), reservationSid: Sid('WR') },
          { additionalProperties: false },
        ),
        response: { 200: Accepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { conferenceSid, workerSid } = request.params;
      assertActsFor(request.flex, workerSid);
      const { twilio, config, now } = app.lifeline;
      // The Recovery Ping's task is recovery work: asked on the effects' budget.
      const event = await provePingAccepted(twilio.client, config.twilio.workspaceSid, {
        conferenceSid,
        workerSid,
        taskSid: request.body.taskSid,
        reservationSid: request.body.reservationSid,
        at: now(),
      });
      // The plugin may say it twice; Event Streams' own report has its CloudEvent id.
      return dispatchForAgent(reply, conferenceSid, event, [
        `ping-accepted:${request.body.reservationSid}`,
      ]);
    },
  );

  // sendBeacon cannot set headers: the token travels in the body, as text or JSON.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(null, { token: body });
    }
  });

  app.post(
    '/conferences/:conferenceSid/agents/:workerSid/unload',
    {
      bodyLimit: 16 * 1024,
      config: { tokenIn: 'body' },
      schema: {
        summary: 'Page-unload beacon: the drop is a refresh; recovery may start at once',
        tags: ['plugin'],
        params: AgentParams,
        body: Type.Object({ token: Type.String({ minLength: 1 }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      assertActsFor(request.flex, request.params.workerSid);
      await app.lifeline.engine.dispatch({
        conferenceSid: request.params.conferenceSid,
        source: 'api',
        note: 'pagehide beacon: browser refresh',
        event: {
          type: 'agent.pageUnloaded',
          at: app.lifeline.now(),
          workerSid: request.params.workerSid,
        },
      });
      return reply.code(204).send(null);
    },
  );
};
