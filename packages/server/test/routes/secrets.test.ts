import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import RedisMock from 'ioredis-mock';
import { logOptions } from '../../src/logging.ts';
import { createServer } from '../../src/server.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import { AUTH_TOKEN, testConfig, uniquePrefix } from '../support/app.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { AGENT_TOKEN, CONF, WORKER, registration } from '../support/payloads.ts';

describe('secrets never reach the logs', () => {
  let twilio: FakeTwilio;
  afterEach(async () => twilio.close());

  it('redacts bearer tokens, query tokens, beacon tokens and signatures', async () => {
    twilio = await startFakeTwilio();
    twilio.tokens.set(AGENT_TOKEN, { worker_sid: WORKER, roles: ['agent'] });
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = testConfig(twilio.url);
    const logger = { ...(logOptions('debug') as object), stream };
    const { app } = await createServer(config, {
      store: { store: new RedisStore(new RedisMock(), { prefix: uniquePrefix() }), durable: false },
      runLoops: false,
      fastify: { logger },
    });
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
    await app.close();
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(AGENT_TOKEN);
    expect(log).not.toContain(AUTH_TOKEN);
    expect(log).not.toContain('c2lnbmF0dXJl');
  });
});
