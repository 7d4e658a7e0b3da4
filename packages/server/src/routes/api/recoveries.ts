import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PersistedRecovery } from '@lifeline/machine';
import { describeSnapshot, restore } from '@lifeline/machine';
import type { FlexIdentity } from '../../auth/flex-auth.ts';
import {
  AuthError,
  ForbiddenError,
  assertActsFor,
  assertAdmin,
  authenticated,
  isPrivileged,
  requestToken,
} from '../../auth/flex-auth.ts';
import type { StoredRecovery } from '../../store/types.ts';
import { Sid, errorResponses } from '../schemas.ts';
import { sseStreams } from '../sse.ts';

const RecoveryView = Type.Object({
  conferenceSid: Type.String(),
  version: Type.Integer(),
  state: Type.String(),
  final: Type.Boolean(),
  snapshot: Type.Unknown(),
});

function view(stored: StoredRecovery) {
  const snapshot = restore(stored.snapshot);
  const { state, final } = describeSnapshot(snapshot);
  return {
    conferenceSid: stored.conferenceSid,
    version: stored.version,
    state,
    final,
    snapshot: stored.snapshot,
  };
}

/** Workers see conferences they are or were an agent in; supervisors and admins see all. */
function mayRead(identity: FlexIdentity, stored: StoredRecovery): boolean {
  if (isPrivileged(identity)) return true;
  const context = (stored.snapshot as PersistedRecovery).context;
  const workerSid = identity.workerSid;
  return (
    workerSid !== null &&
    (context.agents[workerSid] !== undefined || context.recovery?.workerSid === workerSid)
  );
}

export const recoveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const openStream = sseStreams(app, () => app.lifeline.broadcaster);

  app.get(
    '/workers/:workerSid/recovery',
    {
      schema: {
        summary: "The recovery concerning this worker, if any (the plugin's view after a reload)",
        tags: ['plugin'],
        params: Type.Object({ workerSid: Sid('WK') }),
        response: { 200: RecoveryView, ...errorResponses },
      },
    },
    async (request, reply) => {
      assertActsFor(request.flex, request.params.workerSid);
      const { store } = app.lifeline;
      const conferenceSid = await store.conferenceForWorker(request.params.workerSid);
      const stored = conferenceSid === null ? null : await store.load(conferenceSid);
      const context = (stored?.snapshot as PersistedRecovery | undefined)?.context;
      if (stored === null || context?.recovery?.workerSid !== request.params.workerSid) {
        return reply
          .code(404)
          .send({ error: 'Not Found', message: 'no recovery concerns this worker' });
      }
      return view(stored);
    },
  );

  app.get(
    '/conferences/:conferenceSid',
    {
      schema: {
        summary: 'Admin: snapshot, version and timeline of a conference',
        tags: ['admin'],
        params: Type.Object({ conferenceSid: Sid('CF') }),
        response: {
          200: Type.Intersect([
            RecoveryView,
            Type.Object({ timeline: Type.Array(Type.Unknown()) }),
          ]),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      assertAdmin(request.flex);
      const stored = await app.lifeline.store.load(request.params.conferenceSid);
      if (stored === null)
        return reply.code(404).send({ error: 'Not Found', message: 'no such conference' });
      const timeline = await app.lifeline.store.timeline(request.params.conferenceSid);
      return { ...view(stored), timeline };
    },
  );

  app.get(
    '/conferences/:conferenceSid/stream',
    {
      schema: {
        summary: 'Server-Sent Events of persisted snapshots (token as Bearer or ?token=)',
        tags: ['plugin'],
        params: Type.Object({ conferenceSid: Sid('CF') }),
        querystring: Type.Object({ token: Type.Optional(Type.String()) }),
        produces: ['text/event-stream'],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { store, auth } = app.lifeline;
      const { conferenceSid } = request.params;
      const caller = authenticated(request.flex);
      const first = await store.load(conferenceSid);
      // Not theirs and not there answer alike: the stream is no oracle for conference SIDs.
      if (first === null || !mayRead(caller, first))
        return reply.code(404).send({ error: 'Not Found', message: 'no such conference' });
      const token = requestToken(request);

      let lastVersion = 0;
      const send = (stored: StoredRecovery) => {
        if (stored.version <= lastVersion) return;
        lastVersion = stored.version;
        stream.raw.write(`id: ${stored.version}\ndata: ${JSON.stringify(view(stored))}\n\n`);
      };
      // Woken by each change (this instance's commits, others' through Redis pub/sub): a
      // remote change costs one read, an idle stream none.
      const reload = () => {
        store
          .load(conferenceSid)
          .then((stored) => {
            if (stored !== null && !stream.raw.writableEnded) send(stored);
          })
          .catch(() => undefined);
      };
      // The token is checked again whenever its cached validation lapses: a revoked token (or
      // a worker no longer in the conference) loses the stream.
      let recheckAt = token === null ? Infinity : (auth.expiresAt(token) ?? app.lifeline.now());
      let rechecking = false;
      const recheck = async () => {
        const stored = await store.load(conferenceSid);
        if (stored === null || token === null) return;
        try {
          const identity = await auth.identify(token);
          if (!mayRead(identity, stored)) return stream.end();
          recheckAt = auth.expiresAt(token) ?? app.lifeline.now();
        } catch (error) {
          // Twilio being unreachable says nothing about the token: keep streaming, ask again.
          if (error instanceof AuthError || error instanceof ForbiddenError) stream.end();
        }
      };
      const stream = openStream(request, reply, {
        conferenceSid,
        headers: corsHeaders(app.lifeline.config.flexOrigin, request.headers.origin),
        onChange: (change) => {
          if (change.info !== undefined) {
            const { version, snapshot, final } = change.info;
            send({ conferenceSid, version, snapshot, final });
          } else if (change.version === 0 || change.version > lastVersion) {
            reload();
          }
        },
        onTick: () => {
          if (rechecking || app.lifeline.now() < recheckAt) return;
          rechecking = true;
          recheck()
            .catch(() => undefined)
            .finally(() => {
              rechecking = false;
            });
        },
      });
      send(first);
    },
  );
};

function corsHeaders(allowed: string, origin: string | undefined): Record<string, string> {
  return origin === allowed ? { 'access-control-allow-origin': allowed, vary: 'Origin' } : {};
}
