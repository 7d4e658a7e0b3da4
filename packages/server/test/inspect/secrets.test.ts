import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import RedisMock from 'ioredis-mock';
import { logOptions } from '../../src/logging.ts';
import { createServer } from '../../src/server.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import { testConfig, uniquePrefix } from '../support/app.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { CONF, sid } from '../support/payloads.ts';
import { SUPERVISOR_TOKEN } from './recovery.ts';

const PASSWORD = 'inspector-password-not-logged';

describe('inspector credentials never reach the logs', () => {
  let twilio: FakeTwilio;
  afterEach(async () => twilio.close());

  it('redacts query tokens, bearer tokens and basic credentials on every inspector route', async () => {
    twilio = await startFakeTwilio();
    twilio.tokens.set(SUPERVISOR_TOKEN, { worker_sid: sid('WK', 901), roles: ['supervisor'] });
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = testConfig(twilio.url, { INSPECT_BASIC_AUTH: `engineer:${PASSWORD}` });
    const { app } = await createServer(config, {
      store: { store: new RedisStore(new RedisMock(), { prefix: uniquePrefix() }), durable: false },
      runLoops: false,
      fastify: { logger: { ...(logOptions('debug') as object), stream } },
    });
    const basic = `Basic ${Buffer.from(`engineer:${PASSWORD}`).toString('base64')}`;
    const urls = [
      '/inspect',
      '/inspect/api/chart',
      '/inspect/api/conferences',
      `/inspect/api/conferences/${CONF}`,
      `/inspect/api/conferences/${CONF}/export`,
    ];
    const statuses: number[] = [];
    for (const url of urls) {
      for (const request of [
        { url: `${url}?token=${SUPERVISOR_TOKEN}` },
        { url: `${url}?offset=0&token=${SUPERVISOR_TOKEN}&limit=5` },
        { url, headers: { authorization: `Bearer ${SUPERVISOR_TOKEN}` } },
        { url, headers: { authorization: basic } },
        { url: `${url}?token=wrong-${SUPERVISOR_TOKEN}` },
      ]) {
        statuses.push((await app.inject({ method: 'GET', ...request })).statusCode);
      }
    }
    await app.close();
    // Some requests were let in, some refused: both paths were logged.
    expect(statuses).toContain(200);
    expect(statuses).toContain(401);
    const log = lines.join('');
    expect(log).toContain('/inspect/api/conferences');
    expect(log).toContain('[redacted]');
    expect(log).not.toContain(SUPERVISOR_TOKEN);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(basic.slice('Basic '.length));
  });
});
