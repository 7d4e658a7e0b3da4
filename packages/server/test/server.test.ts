import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { logOptions } from '../src/logging.ts';
import { createServer } from '../src/server.ts';
import { createTwilio } from '../src/twilio/client.ts';
import { REDIS_URL, uniquePrefix } from './store/backends.ts';
import { REQUIRED_ENV } from './support/env.ts';
import { AGENT_TOKEN, WORKER } from './support/payloads.ts';

/** A logger that keeps its lines, with the server's own redaction. */
function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: { ...(logOptions('info') as object), stream }, text: () => lines.join('') };
}

describe('createServer', () => {
  it('says loudly that the embedded store is not durable, and /readyz says so too', async () => {
    const log = capturedLog();
    const server = await createServer(loadConfig({ ...REQUIRED_ENV }), {
      runLoops: false,
      fastify: { logger: log.logger },
    });
    try {
      expect(server.durable).toBe(false);
      expect(log.text()).toContain('embedded in-memory store, not durable');
      expect((await server.app.inject({ url: '/readyz' })).json()).toEqual({
        ok: true,
        durable: false,
      });
    } finally {
      await server.close();
    }
  });

  it('builds a Redis store from the configuration and logs where, without credentials', async () => {
    const log = capturedLog();
    const url = new URL(REDIS_URL);
    url.username = 'default';
    url.password = 'not-a-real-password';
    const config = loadConfig({
      ...REQUIRED_ENV,
      REDIS_URL,
      REDIS_KEY_PREFIX: uniquePrefix(),
    });
    const server = await createServer(config, { runLoops: false, fastify: { logger: log.logger } });
    try {
      expect(server.durable).toBe(true);
      expect((await server.app.inject({ url: '/readyz' })).json()).toEqual({
        ok: true,
        durable: true,
      });
      expect(log.text()).toContain('store: Redis');
      expect(log.text()).not.toContain('not durable');
    } finally {
      await server.close();
    }
    // The same configuration with credentials in the URL: the log line leaves them out.
    const secretLog = capturedLog();
    const withSecret = await createServer(
      loadConfig({ ...REQUIRED_ENV, REDIS_URL: url.toString(), REDIS_KEY_PREFIX: uniquePrefix() }),
      { runLoops: false, fastify: { logger: secretLog.logger } },
    );
    await withSecret.close();
    expect(secretLog.text()).toContain('store: Redis');
    expect(secretLog.text()).not.toContain('not-a-real-password');
  });

  it('uses an injected Twilio client, e.g. for Flex token validation', async () => {
    const config = loadConfig({ ...REQUIRED_ENV });
    const validated: string[] = [];
    const twilio = {
      // Nothing here may reach Twilio: loops are off and only validateToken is called.
      client: createTwilio({ ...config.twilio }).client,
      authClient: createTwilio({ ...config.twilio }).authClient,
      validateToken: async (token: string) => {
        validated.push(token);
        return { valid: true, worker_sid: WORKER, roles: ['agent'] };
      },
    };
    const server = await createServer(config, {
      twilio,
      runLoops: false,
      fastify: { logger: false },
    });
    try {
      const response = await server.app.inject({
        url: `/api/v1/workers/${WORKER}/recovery`,
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
      });
      // Authenticated by the injected client; no recovery concerns this worker yet.
      expect(response.statusCode).toBe(404);
      expect(validated).toEqual([AGENT_TOKEN]);
    } finally {
      await server.close();
    }
  });
});
