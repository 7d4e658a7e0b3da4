/**
 * The inspector: GET /inspect (the page) and its data under /inspect/api. One onRequest hook
 * guards the whole scope (auth.ts); tokens may come as ?token=, which the app's request
 * serializer redacts from the logs like every other query token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { describeSnapshot, restore } from '@lifeline/machine';
import { summarize } from '../recovery/summary.ts';
import type { StoredRecovery } from '../store/types.ts';
import { Sid, errorResponses } from '../routes/schemas.ts';
import { sseStreams } from '../routes/sse.ts';
import { inspectAuth } from './auth.ts';
import { activePaths, chartView } from './chart.ts';
import { exportCase } from './fixture.ts';
import { inspectorPage } from './page.ts';
import { buildTimeline, formatRow } from './timeline.ts';

const ConferenceParams = Type.Object({ conferenceSid: Sid('CF') });
const Token = Type.Optional(Type.String({ description: 'Flex token, for the first page load' }));

const Listed = Type.Object({
  conferenceSid: Type.String(),
  state: Type.String(),
  final: Type.Boolean(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  workerSid: Type.Union([Type.String(), Type.Null()]),
  taskSid: Type.Union([Type.String(), Type.Null()]),
  recoveryStartedAt: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  /** Since the recovery began, or since the conference was first stored. */
  ageMs: Type.Number(),
});

function detailOf(stored: StoredRecovery) {
  const snapshot = restore(stored.snapshot);
  const { state, final } = describeSnapshot(snapshot);
  return {
    snapshot,
    state,
    final,
    summary: summarize(snapshot),
    active: activePaths(snapshot.value),
  };
}

export const inspectRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook(
    'onRequest',
    inspectAuth(app.lifeline.config.inspect, () => app.lifeline.auth),
  );
  const chart = chartView();
  const openStream = sseStreams(app, () => app.lifeline.broadcaster);

  app.get(
    '/',
    {
      schema: {
        summary: 'The inspector page (supervisor or admin token, or basic auth)',
        tags: ['inspect'],
        querystring: Type.Object({ token: Token }),
        produces: ['text/html'],
      },
    },
    async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(inspectorPage()),
  );

  app.get(
    '/api/chart',
    { schema: { summary: 'The recovery statechart as the page draws it', tags: ['inspect'] } },
    async () => chart,
  );

  app.get(
    '/api/conferences',
    {
      schema: {
        summary: 'Stored conferences, newest first, filtered and paged',
        tags: ['inspect'],
        querystring: Type.Object({
          state: Type.Optional(Type.String({ maxLength: 64 })),
          outcome: Type.Optional(Type.String({ maxLength: 64 })),
          worker: Type.Optional(Sid('WK')),
          live: Type.Optional(Type.Boolean({ description: 'true: unfinished only' })),
          offset: Type.Integer({ minimum: 0, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          token: Token,
        }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            offset: Type.Integer(),
            limit: Type.Integer(),
            now: Type.Number(),
            items: Type.Array(Listed),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { state, outcome, worker, live, offset, limit } = request.query;
      const now = app.lifeline.now();
      const page = await app.lifeline.store.listConferences({
        offset,
        limit,
        ...(state === undefined || state === '' ? {} : { state }),
        ...(outcome === undefined || outcome === '' ? {} : { outcome }),
        ...(worker === undefined ? {} : { workerSid: worker }),
        ...(live === true ? { final: false } : {}),
      });
      return {
        total: page.total,
        offset,
        limit,
        now,
        items: page.items.map((item) => ({
          ...item,
          ageMs: now - (item.recoveryStartedAt ?? item.createdAt),
        })),
      };
    },
  );

  app.get(
    '/api/conferences/:conferenceSid',
    {
      schema: {
        summary: 'One conference: state, active states and timeline (phone numbers masked)',
        tags: ['inspect'],
        params: ConferenceParams,
        querystring: Type.Object({ token: Token }),
      },
    },
    async (request, reply) => {
      const { conferenceSid } = request.params;
      const stored = await app.lifeline.store.load(conferenceSid);
      if (stored === null) {
        return reply.code(404).send({ error: 'Not Found', message: 'no such conference' });
      }
      const now = app.lifeline.now();
      const { state, final, summary, active } = detailOf(stored);
      const timeline = buildTimeline(await app.lifeline.store.timeline(conferenceSid));
      const start = timeline[0]?.at ?? now;
      return {
        conferenceSid,
        version: stored.version,
        state,
        final,
        activePaths: active,
        summary,
        ageMs: now - (summary.recoveryStartedAt ?? start),
        timeline,
        lines: timeline.map((row) => formatRow(row, start)),
      };
    },
  );

  app.get(
    '/api/conferences/:conferenceSid/export',
    {
      schema: {
        summary: "The conference's events as a replayable case (pnpm lifeline replay)",
        tags: ['inspect'],
        params: ConferenceParams,
        querystring: Type.Object({ token: Token }),
      },
    },
    async (request, reply) => {
      const { conferenceSid } = request.params;
      const stored = await app.lifeline.store.load(conferenceSid);
      if (stored === null) {
        return reply.code(404).send({ error: 'Not Found', message: 'no such conference' });
      }
      const { state } = detailOf(stored);
      const entries = await app.lifeline.store.timeline(conferenceSid);
      return exportCase(stored, state, entries, new Date(app.lifeline.now()));
    },
  );

  app.get(
    '/api/conferences/:conferenceSid/stream',
    {
      schema: {
        summary: 'Server-Sent Events: one message whenever the conference or its timeline moves',
        tags: ['inspect'],
        params: ConferenceParams,
        querystring: Type.Object({ token: Token }),
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const { conferenceSid } = request.params;
      const { store } = app.lifeline;
      if ((await store.load(conferenceSid)) === null) {
        return reply.code(404).send({ error: 'Not Found', message: 'no such conference' });
      }
      // A commit moves the version; an effect result only appends to the timeline.
      let mark = '';
      const check = async () => {
        const [stored, last] = await Promise.all([
          store.load(conferenceSid),
          store.timeline(conferenceSid, 1),
        ]);
        const next = `${stored?.version ?? 0}:${JSON.stringify(last[0] ?? null)}`;
        if (next === mark) return false;
        mark = next;
        stream.raw.write(
          `data: ${JSON.stringify({ version: stored?.version ?? 0, final: stored?.final ?? false })}\n\n`,
        );
        return true;
      };
      // Woken by each change (commits and effect results, this instance's or others' through
      // Redis pub/sub); checks never overlap, and a change during one is checked after it.
      let checking = false;
      let again = false;
      const wake = () => {
        if (checking) {
          again = true;
          return;
        }
        checking = true;
        check()
          .catch(() => false)
          .finally(() => {
            checking = false;
            if (again && !stream.raw.writableEnded) {
              again = false;
              wake();
            }
          });
      };
      const stream = openStream(request, reply, { conferenceSid, onChange: wake });
      // The first message at once; a change meanwhile is checked after it.
      wake();
    },
  );
};
