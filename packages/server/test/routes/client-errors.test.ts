import RedisMock from 'ioredis-mock';
import { describe, expect, it } from 'vitest';
import { createServer } from '../../src/server.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import { testConfig, uniquePrefix } from '../support/app.ts';
import { useHarness } from '../support/context.ts';
import { logCapture } from '../support/log-capture.ts';
import { AGENT_TOKEN, CONF, registration } from '../support/payloads.ts';

/** A JSON object nested `depth` levels deep, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 1; level < depth; level += 1) value = { child: value };
  return value;
}

describe('client errors get 4xx, never 503', () => {
  const h = useHarness();
  const post = (payload: string, contentType = 'application/json') =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${CONF}/agents`,
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': contentType },
      payload,
    });

  it('answers 400 to invalid JSON and to an empty JSON body', async () => {
    const invalid = await post('{"taskSid": ');
    expect(invalid.statusCode).toBe(400);
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
  });

  it('answers 415 to a media type the route does not take', async () => {
    const response = await post('<xml/>', 'application/xml');
    expect(response.statusCode).toBe(415);
  });

  it('refuses attributes nested thousands deep with 400 naming the field', async () => {
    // Written as text: building it as an object and stringifying would overflow the test's stack.
    const deep = `${'{"child":'.repeat(5000)}{}${'}'.repeat(5000)}`;
    const body = JSON.stringify(registration({ taskAttributes: 'DEEP' })).replace('"DEEP"', deep);
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'body.taskAttributes' });
    expect(response.json().message).toContain('deeper than 32');
    expect(await h.app.lifeline.store.load(CONF)).toBeNull();
  });

  it('refuses attributes larger than 16 KB as JSON with 400 naming the field', async () => {
    const blob = { notes: 'x'.repeat(17 * 1024) };
    const response = await post(JSON.stringify(registration({ taskAttributes: blob })));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'body.taskAttributes' });
    expect(await h.app.lifeline.store.load(CONF)).toBeNull();
  });

  it('stores attributes at the bounds (32 levels, under 16 KB)', async () => {
    const response = await post(JSON.stringify(registration({ taskAttributes: nested(31) })));
    expect(response.statusCode).toBe(200);
  });

  it('logs client errors below error level', async () => {
    const capture = logCapture();
    const { app } = await createServer(
      { ...testConfig(h.twilio.url), logLevel: 'info' },
      {
        store: {
          store: new RedisStore(new RedisMock(), { prefix: uniquePrefix() }),
          durable: false,
        },
        runLoops: false,
        logStream: capture.stream,
      },
    );
    try {
      for (const payload of ['{"taskSid": ', '']) {
        const response = await app.inject({
          method: 'POST',
          url: `/api/v1/conferences/${CONF}/agents`,
          headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json' },
          payload,
        });
        expect(response.statusCode).toBe(400);
      }
    } finally {
      await app.close();
    }
    const levels = capture.lines.map((line) => (JSON.parse(line) as { level: number }).level);
    expect(capture.text()).toContain('client error');
    expect(levels.every((level) => level < 50)).toBe(true);
  });
});
