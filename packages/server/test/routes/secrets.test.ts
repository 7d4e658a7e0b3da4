import { afterEach, describe, expect, it } from 'vitest';
import RedisMock from 'ioredis-mock';
import RequestClient from 'twilio/lib/base/RequestClient.js';
import type { ServerConfig } from '../../src/config.ts';
import { createServer } from '../../src/server.ts';
import type { LifelineServer } from '../../src/server.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import { createTwilio } from '../../src/twilio/client.ts';
import { ACCOUNT_SID, AUTH_TOKEN, testConfig, uniquePrefix } from '../support/app.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { logCapture } from '../support/log-capture.ts';
import { AGENT_TOKEN, CONF, WORKER, registration } from '../support/payloads.ts';

const BASIC = Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64');
// A port nothing listens on: every Twilio call fails at connect, as when IAM is unreachable.
const UNREACHABLE = 'http://127.0.0.1:9';

function expectNoSecrets(log: string, flexTokens: string[]) {
  expect(log.length).toBeGreaterThan(0);
  expect(log).not.toContain(AUTH_TOKEN);
  expect(log).not.toContain(BASIC);
  for (const token of flexTokens) expect(log).not.toContain(token);
}

async function serverWithLog(config: ServerConfig) {
  const capture = logCapture();
  const server = await createServer(
    { ...config, logLevel: 'debug' },
    {
      store: { store: new RedisStore(new RedisMock(), { prefix: uniquePrefix() }), durable: false },
      runLoops: false,
      logStream: capture.stream,
    },
  );
  return { server, capture };
}

describe('secrets never reach the logs', () => {
  let twilio: FakeTwilio | null = null;
  let server: LifelineServer | null = null;
  afterEach(async () => {
    await server?.close();
    await twilio?.close();
    server = null;
    twilio = null;
  });

  it('redacts bearer tokens, query tokens, beacon tokens and signatures', async () => {
    twilio = await startFakeTwilio();
    twilio.tokens.set(AGENT_TOKEN, { worker_sid: WORKER, roles: ['agent'] });
    const built = await serverWithLog(testConfig(twilio.url));
    server = built.server;
    const { app } = server;
    await app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents`,
      headers: { authorization: `Bearer ${AGENT_TOKEN}` },
      payload: registration(),
    });
    await app.inject({
      method: 'GET',
      url: `/api/v1/workers/${WORKER}/recovery?token=${AGENT_TOKEN}`,
    });
    await app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents/${WORKER}/unload`,
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ token: AGENT_TOKEN }),
    });
    await app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': 'c2lnbmF0dXJl',
      },
      payload: 'ConferenceSid=x',
    });
    await server.close();
    server = null;
    expectNoSecrets(built.capture.text(), [AGENT_TOKEN]);
    expect(built.capture.text()).not.toContain('c2lnbmF0dXJl');
  });

  it('logs no credential when token validation cannot reach Twilio (503)', async () => {
    const built = await serverWithLog(testConfig(UNREACHABLE));
    server = built.server;
    const flexToken = 'flex-token-unreachable-validation-1';
    const response = await server.app.inject({
      url: `/api/v1/workers/${WORKER}/recovery`,
      headers: { authorization: `Bearer ${flexToken}` },
    });
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toContain(flexToken);
    const log = built.capture.text();
    expect(log).toContain('Twilio unavailable');
    expectNoSecrets(log, [flexToken]);
  });

  it('logs no query token in the "route not found" line', async () => {
    twilio = await startFakeTwilio();
    const built = await serverWithLog(testConfig(twilio.url));
    server = built.server;
    const flexToken = 'flex-token-in-a-404-query';
    const response = await server.app.inject({ url: `/no/such/route?token=${flexToken}&x=1` });
    expect(response.statusCode).toBe(404);
    const log = built.capture.text();
    expect(log).toContain('route not found');
    expectNoSecrets(log, [flexToken]);
  });

  it("scrubs the Twilio HTTP client's own error however it is logged", async () => {
    twilio = await startFakeTwilio();
    const built = await serverWithLog(testConfig(twilio.url));
    server = built.server;
    const config = testConfig(UNREACHABLE);
    const flexToken = 'flex-token-inside-an-axios-error';
    const validate = {
      method: 'post' as const,
      uri: `https://iam.twilio.com/v1/Accounts/${ACCOUNT_SID}/Tokens/validate`,
      data: { token: flexToken },
      headers: { 'Content-Type': 'application/json' },
    };
    // Lifeline's own HTTP layer (twilio/transport.ts) throws Node's error: no request in it.
    const ours = await createTwilio({ ...config.twilio })
      .client.request(validate)
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(ours).toMatchObject({ code: 'ECONNREFUSED' });
    expect(JSON.stringify(ours)).not.toContain(BASIC);
    // The official layer's (axios, which Lifeline uses behind a proxy): its config carries
    // the Basic header and the body.
    const raw = await new RequestClient({ autoRetry: false })
      .request({
        ...validate,
        uri: `${UNREACHABLE}/v1/Accounts/${ACCOUNT_SID}/Tokens/validate`,
        username: ACCOUNT_SID,
        password: AUTH_TOKEN,
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(JSON.stringify(raw)).toContain(BASIC);
    const { log } = server.app;
    log.error({ err: raw }, 'as err');
    log.error(raw as Error);
    log.error({ error: raw, cause: { headers: { Authorization: `Basic ${BASIC}` } } }, 'as data');
    log.warn(`message text: Basic ${BASIC} Bearer ${flexToken} ${AUTH_TOKEN}`);
    const text = built.capture.text();
    expect(text).toContain('as data');
    expectNoSecrets(text, [flexToken]);
  });
});
