import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow } from '../support/flow.ts';
import { ADMIN_TOKEN, AGENT_TOKEN, CONF, WORKER, registration, sid } from '../support/payloads.ts';

describe('plugin API /api/v1', () => {
  const h = useHarness();
  const auth = (token = AGENT_TOKEN) => ({ authorization: `Bearer ${token}` });
  const register = (token = AGENT_TOKEN, body = registration()) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents`,
      headers: auth(token),
      payload: body,
    });

  it('answers 401 without a token or with one Twilio does not validate', async () => {
    const none = await h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents`,
      payload: registration(),
    });
    expect(none.statusCode).toBe(401);
    const bad = await register('not-a-token');
    expect(bad.statusCode).toBe(401);
    expect(await h.app.lifeline.store.load(CONF)).toBeNull();
  });

  it('authenticates every route of the scope before anything else, the beacon by its body', async () => {
    const agent = `/api/v1/conferences/${CONF}/agents/${WORKER}`;
    const routes = [
      { method: 'POST' as const, url: `/api/v1/conferences/${CONF}/agents`, payload: {} },
      { method: 'POST' as const, url: `${agent}/hangup`, payload: {} },
      { method: 'POST' as const, url: `${agent}/transfer`, payload: {} },
      { method: 'GET' as const, url: `/api/v1/workers/${WORKER}/recovery` },
      { method: 'GET' as const, url: `/api/v1/conferences/${CONF}` },
      { method: 'GET' as const, url: `/api/v1/conferences/${CONF}/stream` },
    ];
    for (const route of routes) {
      // Not even the (invalid) body is looked at without a token: 401, not 400.
      const response = await h.app.inject(route);
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
    const beacon = await h.app.inject({
      method: 'POST',
      url: `${agent}/unload`,
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ token: 'not-a-token' }),
    });
    expect(beacon.statusCode).toBe(401);
    expect(await h.app.lifeline.store.load(CONF)).toBeNull();
  });

  it('lets only the worker itself register; an admin may read but not register anyone', async () => {
    const other = await register(AGENT_TOKEN, registration({ workerSid: sid('WK', 2) }));
    expect(other.statusCode).toBe(403);
    const admin = await register(ADMIN_TOKEN, registration());
    expect(admin.statusCode).toBe(403);
    expect(await h.app.lifeline.store.load(CONF)).toBeNull();
    expect((await register()).statusCode).toBe(200);
    const read = await h.app.inject({
      url: `/api/v1/conferences/${CONF}`,
      headers: auth(ADMIN_TOKEN),
    });
    expect(read.statusCode).toBe(200);
  });

  it("registers idempotently and re-asserts the agent leg's endConferenceOnExit false once", async () => {
    const first = await register();
    const second = await register();
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    await h.app.lifeline.runner.drain();
    const keeps = h.twilio.mutations('/Participants/');
    // The agent's leg only: the customer's flag stays as Flex set it (native parity).
    expect(keeps.map((call) => call.body['EndConferenceOnExit'])).toEqual(['false']);
  });

  it('names the invalid field with 400', async () => {
    const response = await register(AGENT_TOKEN, registration({ customerCallSid: 'nope' }));
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toContain('customerCallSid');
  });

  it('ends a two-party conference on a graceful hangup and starts no recovery', async () => {
    await register();
    const hangup = await h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents/${WORKER}/hangup`,
      headers: auth(),
      payload: { liveParticipantCount: 2 },
    });
    expect(hangup.statusCode).toBe(200);
    await new Flow(() => [h.app], h.twilio).agentDrops();
    await h.app.lifeline.runner.drain();
    expect(h.twilio.mutations(`/Conferences/${CONF}.json`).map((c) => c.body['Status'])).toContain(
      'completed',
    );
    expect(h.twilio.mutations('/Tasks').length).toBe(0);
  });

  it('records a cold transfer, so the agent leaving starts no recovery', async () => {
    await register();
    const transfer = await h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents/${WORKER}/transfer`,
      headers: auth(),
      payload: { mode: 'COLD' },
    });
    expect(transfer.statusCode).toBe(200);
    await new Flow(() => [h.app], h.twilio).agentDrops();
    const stored = await h.app.lifeline.store.load(CONF);
    expect((stored?.snapshot as { value: unknown }).value).toBe('connected');
  });

  it('starts recovery on the unload beacon (token in a text/plain body) and shows it to the worker', async () => {
    await register();
    const beacon = await h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents/${WORKER}/unload`,
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ token: AGENT_TOKEN }),
    });
    expect(beacon.statusCode).toBe(204);
    const recovery = await h.app.inject({
      method: 'GET',
      url: `/api/v1/workers/${WORKER}/recovery`,
      headers: auth(),
    });
    expect(recovery.statusCode).toBe(200);
    expect(recovery.json()).toMatchObject({ conferenceSid: CONF, state: 'pinging', final: false });
    const timeline = await h.app.lifeline.store.timeline(CONF);
    expect(JSON.stringify(timeline)).toContain('pagehide beacon');
  });

  it('answers 404 for a worker with no recovery', async () => {
    await register();
    const response = await h.app.inject({
      method: 'GET',
      url: `/api/v1/workers/${WORKER}/recovery`,
      headers: auth(),
    });
    expect(response.statusCode).toBe(404);
  });

  it('shows snapshot, version and timeline to admins only', async () => {
    await register();
    const agent = await h.app.inject({
      method: 'GET',
      url: `/api/v1/conferences/${CONF}`,
      headers: auth(),
    });
    expect(agent.statusCode).toBe(403);
    const admin = await h.app.inject({
      method: 'GET',
      url: `/api/v1/conferences/${CONF}`,
      headers: auth(ADMIN_TOKEN),
    });
    expect(admin.statusCode).toBe(200);
    const body = admin.json();
    expect(body.version).toBe(1);
    expect(body.timeline[0]).toMatchObject({ kind: 'event', name: 'agent.registered' });
  });

  it('allows CORS from the Flex origin only', async () => {
    const allowed = await h.app.inject({
      method: 'OPTIONS',
      url: `/api/v1/workers/${WORKER}/recovery`,
      headers: { origin: 'https://flex.twilio.com', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://flex.twilio.com');
    const other = await h.app.inject({
      method: 'OPTIONS',
      url: `/api/v1/workers/${WORKER}/recovery`,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('ops routes', () => {
  const h = useHarness();

  it('serves health, readiness, metrics, OpenAPI and the announcement TwiML', async () => {
    expect((await h.app.inject({ url: '/healthz' })).json()).toEqual({ ok: true });
    expect((await h.app.inject({ url: '/readyz' })).json()).toMatchObject({ ok: true });
    const metrics = await h.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('lifeline_webhooks_total');
    const docs = await h.app.inject({ url: '/docs/json' });
    expect(Object.keys(docs.json().paths)).toContain('/webhooks/conference-status');
    const twiml = await h.app.inject({ url: '/twiml/announcement' });
    expect(twiml.headers['content-type']).toContain('text/xml');
    expect(twiml.body).toContain('<Say>');
  });
});
