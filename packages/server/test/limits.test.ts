import { connect } from 'node:net';
import RedisMock from 'ioredis-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createServer } from '../src/server.ts';
import type { LifelineServer, ServerOverrides } from '../src/server.ts';
import { RedisStore } from '../src/store/redis-store.ts';
import { AUTH_TOKEN, uniquePrefix } from './support/app.ts';
import { REQUIRED_ENV } from './support/env.ts';
import { conferenceCallback } from './support/payloads.ts';
import { signForm } from './support/sign.ts';

const memoryStore = () => ({
  store: new RedisStore(new RedisMock(), { prefix: uniquePrefix() }),
  durable: false,
});

describe('bounded resources and operator endpoints', () => {
  let server: LifelineServer | null = null;
  const start = async (env: Record<string, string>, overrides: ServerOverrides = {}) => {
    server = await createServer(loadConfig({ ...REQUIRED_ENV, ...env }), {
      runLoops: false,
      fastify: { logger: false },
      ...overrides,
    });
    return server.app;
  };
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('cuts off a request body that never finishes', async () => {
    const app = await start(
      {},
      { store: memoryStore(), fastify: { logger: false, requestTimeout: 300 } },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const socket = connect(address.port, '127.0.0.1');
    const started = Date.now();
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.write(
      'POST /webhooks/conference-status HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nConferenceSid=',
    );
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // requestTimeout plus at most one connectionsCheckingInterval (1 s).
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(answer).toContain('408');
  });

  it('fails fast when Redis is gone: 503 within about a second, no internal text', async () => {
    // Nothing listens on port 9: every connection attempt is refused.
    const app = await start({ REDIS_URL: 'redis://127.0.0.1:9', REDIS_KEY_PREFIX: uniquePrefix() });
    let started = Date.now();
    const ready = await app.inject({ url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ ok: false, error: 'store unavailable' });
    expect(ready.body).not.toContain('127.0.0.1');

    const callback = conferenceCallback('conference-start');
    started = Date.now();
    const webhook = await app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: callback.headers,
      payload: callback.payload,
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(webhook.statusCode).toBe(503);
  });

  it('checks signatures against PUBLIC_BASE_URL with the host case as configured', async () => {
    const base = 'https://Lifeline.Example.COM/Hooks';
    const app = await start({ PUBLIC_BASE_URL: base }, { store: memoryStore() });
    expect(server?.app.lifeline.config.publicBaseUrl).toBe(base);
    const { params, payload } = conferenceCallback('conference-start');
    const signedAs = (url: string) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/conference-status',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signForm(AUTH_TOKEN, url, params),
        },
        payload,
      });
    expect((await signedAs(`${base}/webhooks/conference-status`)).statusCode).toBeLessThan(300);
    const lowered = `${base.toLowerCase()}/webhooks/conference-status`;
    expect((await signedAs(lowered)).statusCode).toBe(403);
  });

  it('protects /metrics and /docs with OPS_TOKEN when it is set', async () => {
    const app = await start({ OPS_TOKEN: 'ops-secret-1' }, { store: memoryStore() });
    for (const url of ['/metrics', '/docs', '/docs/json']) {
      expect((await app.inject({ url })).statusCode, url).toBe(401);
      const wrong = await app.inject({ url, headers: { authorization: 'Bearer nope' } });
      expect(wrong.statusCode, url).toBe(401);
      const right = await app.inject({ url, headers: { authorization: 'Bearer ops-secret-1' } });
      expect(right.statusCode, url).toBeLessThan(400);
    }
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('leaves /metrics and /docs open without OPS_TOKEN', async () => {
    const app = await start({}, { store: memoryStore() });
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/docs/json' })).statusCode).toBe(200);
  });
});
