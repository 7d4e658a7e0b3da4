import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { recoveryChart } from '@lifeline/machine/chart';
import { allStates } from '@lifeline/machine/chart';
import { replayCase } from '../../src/inspect/replay.ts';
import { parseCase } from '../../src/inspect/fixture.ts';
import { redisClient, testApp } from '../support/app.ts';
import { useHarness } from '../support/context.ts';
import { ADMIN_TOKEN, AGENT_TOKEN, CONF, WORKER, sid } from '../support/payloads.ts';
import { SUPERVISOR_TOKEN, refreshRecovery, storedState } from './recovery.ts';

const BASIC = 'engineer:s3cret-pass';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('the inspector', () => {
  const h = useHarness('memory');

  async function appWithBasic(): Promise<FastifyInstance> {
    const app = await testApp({
      twilioUrl: h.twilio.url,
      client: redisClient('memory'),
      prefix: h.prefix,
      env: { INSPECT_BASIC_AUTH: BASIC },
    });
    return app;
  }

  async function recovered(app: FastifyInstance) {
    for (const step of refreshRecovery(app, h.twilio)) await step.run();
  }

  it('refuses anonymous callers with 401 and plain agents with 403, page and data alike', async () => {
    for (const url of [
      '/inspect',
      '/inspect/api/conferences',
      `/inspect/api/conferences/${CONF}`,
    ]) {
      const anonymous = await h.app.inject({ method: 'GET', url });
      expect(anonymous.statusCode, url).toBe(401);
      expect(anonymous.body).not.toContain('data-testid="conferences"');
      const agent = await h.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
      });
      expect(agent.statusCode, url).toBe(403);
      const asQuery = await h.app.inject({ method: 'GET', url: `${url}?token=${AGENT_TOKEN}` });
      expect(asQuery.statusCode, url).toBe(403);
    }
    const browser = await h.app.inject({
      method: 'GET',
      url: '/inspect',
      headers: { accept: 'text/html' },
    });
    expect(browser.statusCode).toBe(401);
    expect(browser.headers['content-type']).toContain('text/html');
    expect(browser.body).toContain('name="token"');
  });

  it('accepts admin and supervisor tokens as a Bearer header or a token query parameter', async () => {
    h.twilio.tokens.set(SUPERVISOR_TOKEN, { worker_sid: sid('WK', 901), roles: ['supervisor'] });
    const bearer = await h.app.inject({
      method: 'GET',
      url: '/inspect',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(bearer.statusCode).toBe(200);
    expect(bearer.headers['content-type']).toContain('text/html');
    // Offline: the script and styles are inline, nothing is loaded from elsewhere.
    expect(bearer.body).toContain('history.replaceState');
    expect(bearer.body).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
    const query = await h.app.inject({
      method: 'GET',
      url: `/inspect/api/conferences?token=${SUPERVISOR_TOKEN}`,
    });
    expect(query.statusCode).toBe(200);
    expect(query.json()).toMatchObject({ total: 0, items: [] });
  });

  it('accepts the configured basic credentials and nothing close to them', async () => {
    const app = await appWithBasic();
    try {
      const ok = await app.inject({
        method: 'GET',
        url: '/inspect/api/chart',
        headers: { authorization: basic(BASIC) },
      });
      expect(ok.statusCode).toBe(200);
      for (const wrong of [
        'engineer:s3cret-pas',
        'engineer:s3cret-pass2',
        'enginee:s3cret-pass',
        'x',
      ]) {
        const refused = await app.inject({
          method: 'GET',
          url: '/inspect/api/chart',
          headers: { authorization: basic(wrong) },
        });
        expect(refused.statusCode, wrong).toBe(401);
        expect(refused.headers['www-authenticate']).toContain('Basic');
      }
      // Without INSPECT_BASIC_AUTH no basic credentials work at all.
      const off = await h.app.inject({
        method: 'GET',
        url: '/inspect/api/chart',
        headers: { authorization: basic(BASIC) },
      });
      expect(off.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('serves the chart from the machine definition', async () => {
    const response = await h.app.inject({
      method: 'GET',
      url: '/inspect/api/chart',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const body = response.json() as { states: { path: string }[]; edges: unknown[] };
    expect(body.states.map((s) => s.path)).toEqual(allStates(recoveryChart()).map((s) => s.path));
    expect(body.edges.length).toBeGreaterThan(body.states.length / 2);
  });

  it("shows a recovery's timeline: each event in, each transition, each effect with latency and result", async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await recovered(h.app);
    await h.app.lifeline.store.appendTimeline(CONF, [
      { at: h.clock.now, kind: 'note', name: 'customer said', detail: { from: '+15551234567' } },
    ]);
    const response = await h.app.inject({
      method: 'GET',
      url: `/inspect/api/conferences/${CONF}`,
      headers: auth,
    });
    expect(response.statusCode).toBe(200);
    const detail = response.json() as {
      state: string;
      final: boolean;
      activePaths: string[];
      timeline: {
        kind: string;
        to?: string;
        status?: string;
        latencyMs?: number | null;
        attempts?: number;
      }[];
      lines: string[];
    };
    expect(detail.state).toBe(await storedState(h.app));
    expect(detail.activePaths.at(-1)).toContain(detail.state);
    const transitions = detail.timeline.filter((row) => row.kind === 'transition');
    expect(transitions.length).toBeGreaterThanOrEqual(4);
    expect(transitions.at(-1)?.to).toBe(detail.state);
    const effects = detail.timeline.filter((row) => row.kind === 'out');
    expect(effects.length).toBeGreaterThan(3);
    for (const effect of effects) {
      expect(effect.status).toBe('done');
      expect(effect.attempts).toBe(1);
      expect(typeof effect.latencyMs).toBe('number');
    }
    expect(detail.timeline.filter((row) => row.kind === 'in').length).toBeGreaterThan(5);
    expect(response.body).not.toContain('5551234567');
    expect(response.body).toContain('+1******4567');
    expect(detail.lines.some((line) => line.includes('==>'))).toBe(true);
  });

  it('lists conferences filtered by state, outcome and worker, newest first, in pages', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await recovered(h.app);
    const { store } = h.app.lifeline;
    const live = 'live-state-name';
    for (let i = 0; i < 30; i += 1) {
      h.clock.now += 1;
      await store.commit({
        conferenceSid: sid('CF', 100 + i),
        expectedVersion: 0,
        snapshot: {},
        final: false,
        timeline: [],
        effects: [],
        schedule: [],
        cancel: [],
        dedupeIds: [],
        summary: {
          state: live,
          final: false,
          outcome: null,
          workerSid: sid('WK', 100 + (i % 3)),
          taskSid: sid('WT', 100 + i),
          recoveryStartedAt: null,
        },
      });
    }
    const list = async (query: string) => {
      const response = await h.app.inject({
        method: 'GET',
        url: `/inspect/api/conferences?${query}`,
        headers: auth,
      });
      expect(response.statusCode, query).toBe(200);
      return response.json() as {
        total: number;
        items: { conferenceSid: string; state: string; outcome: string | null }[];
      };
    };
    const all = await list('limit=10');
    // The 30 above, the recovered conference and the new one its call goes on in.
    expect(all.total).toBe(32);
    expect(all.items.map((item) => item.conferenceSid)).toEqual(
      Array.from({ length: 10 }, (_, i) => sid('CF', 129 - i)),
    );
    const page2 = await list('limit=10&offset=10');
    expect(page2.items[0]?.conferenceSid).toBe(sid('CF', 119));
    expect((await list(`state=${live}&worker=${sid('WK', 101)}&limit=50`)).total).toBe(10);
    const recoveredOnly = await list('outcome=recovered');
    expect(recoveredOnly.items.map((item) => item.conferenceSid)).toEqual([CONF]);
    // The 30 live ones and the new conference the recovered call goes on in.
    expect((await list('outcome=none')).total).toBe(31);
    expect((await list(`worker=${WORKER}`)).items[0]?.state).toBe(await storedState(h.app));
    const bad = await h.app.inject({
      method: 'GET',
      url: '/inspect/api/conferences?limit=0',
      headers: auth,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('exports a case whose offline replay ends where the server did, step by step', async () => {
    await recovered(h.app);
    const response = await h.app.inject({
      method: 'GET',
      url: `/inspect/api/conferences/${CONF}/export`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('5550001111');
    const fixture = parseCase(JSON.parse(response.body));
    expect(fixture.truncated).toBe(false);
    const replay = replayCase(fixture);
    expect(replay.finalState).toBe(await storedState(h.app));
    expect(replay.matches).toBe(true);
    expect(replay.steps.filter((step) => step.diverged)).toEqual([]);
    expect(replay.steps.length).toBe(fixture.events.length);
  });

  it('answers 404 for a conference it does not have', async () => {
    const response = await h.app.inject({
      method: 'GET',
      url: `/inspect/api/conferences/${sid('CF', 999)}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.statusCode).toBe(404);
  });
});
