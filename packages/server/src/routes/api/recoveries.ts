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

/** Seconds between keep-alive comments on an idle stream (shared one-second ticks). */
const KEEP_ALIVE_TICKS = 15;

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
  // Open SSE streams end when the app closes, so shutdown is not held up by idle clients.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

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
      const { store, broadcaster, auth } = app.lifeline;
      const { conferenceSid } = request.params;
      const caller = authenticated(request.flex);
      const first = await store.load(conferenceSid);
      // Not theirs and not there answer alike: the stream is no oracle for conference SIDs.
      if (first === null || !mayRead(caller, first))
        return reply.code(404).send({ error: 'Not Found', message: 'no such conference' });
      const token = requestToken(request);

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        ...corsHeaders(app.lifeline.config.flexOrigin, request.headers.origin),
      });
      let lastVersion = 0;
      const send = (stored: StoredRecovery) => {
        if (stored.version <= lastVersion) return;
        lastVersion = stored.version;
        raw.write(`id: ${stored.version}\ndata: ${JSON.stringify(view(stored))}\n\n`);
      };
      send(first);
      // Woken by each change (this instance's commits, others' through Redis pub/sub): a
      // remote change costs one read, an idle stream none.
      const reload = () => {
        store
          .load(conferenceSid)
          .then((stored) => {
            if (stored !== null && !raw.writableEnded) send(stored);
          })
          .catch(() => undefined);
      };
      const unsubscribe = broadcaster.subscribe(conferenceSid, (change) => {
        if (change.info !== undefined) {
          const { version, snapshot, final } = change.info;
          send({ conferenceSid, version, snapshot, final });
        } else if (change.version === 0 || change.version > lastVersion) {
          reload();
        }
      });
      // The token is checked again whenever its cached validation lapses: a revoked token (or
      // a worker no longer in the conference) loses the stream.
      let recheckAt = token === null ? Infinity : (auth.expiresAt(token) ?? app.lifeline.now());
      let rechecking = false;
      const recheck = async () => {
        const stored = await store.load(conferenceSid);
        if (stored === null || token === null) return;
        try {
          const identity = await auth.identify(token);
          if (!mayRead(identity, stored)) return end();
          recheckAt = auth.expiresAt(token) ?? app.lifeline.now();
        } catch (error) {
          // Twilio being unreachable says nothing about the token: keep streaming, ask again.
          if (error instanceof AuthError || error instanceof ForbiddenError) end();
        }
      };
      // Shared per-second housekeeping: the re-check when due, and a comment line every 15 s
      // so proxies do not idle the stream out.
      let ticks = 0;
      const stopTicking = broadcaster.every(() => {
        ticks += 1;
        if (ticks % KEEP_ALIVE_TICKS === 0 && !raw.writableEnded) raw.write(': keep-alive\n\n');
        if (rechecking || app.lifeline.now() < recheckAt) return;
        rechecking = true;
        recheck()
          .catch(() => undefined)
          .finally(() => {
            rechecking = false;
          });
      });
      const close = () => {
        stopTicking();
        unsubscribe();
        streams.delete(end);
      };
      const end = () => {
        close();
        raw.end();
      };
      streams.add(end);
      request.raw.on('close', close);
    },
  );
};

function corsHeaders(allowed: string, origin: string | undefined): Record<string, string> {
  return origin === allowed ? { 'access-control-allow-origin': allowed, vary: 'Origin' } : {};
}
