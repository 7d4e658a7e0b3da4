import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow } from '../support/flow.ts';
import { AGENT_TOKEN, CONF } from '../support/payloads.ts';

/** Reads Server-Sent Events `data:` payloads off a live response. */
function sseReader(response: IncomingMessage) {
  const messages: unknown[] = [];
  let buffer = '';
  const waiters: (() => void)[] = [];
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data !== undefined) messages.push(JSON.parse(data.slice(6)));
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  return {
    messages,
    async next(count: number) {
      const deadline = Date.now() + 5000;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${messages.length} SSE messages arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return messages[count - 1];
    },
  };
}

describe('GET /api/v1/conferences/:conferenceSid/stream', () => {
  const h = useHarness();

  it('streams the persisted snapshot, then each new version', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request(`${address}/api/v1/conferences/${CONF}/stream?token=${AGENT_TOKEN}`, resolve)
        .on('error', reject)
        .end();
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    const reader = sseReader(response);
    expect(await reader.next(1)).toMatchObject({
      conferenceSid: CONF,
      state: 'connected',
      final: false,
    });
    await flow.agentDrops();
    expect(await reader.next(2)).toMatchObject({ state: 'pinging' });
    response.destroy();
  });

  it('answers 401 without a token', async () => {
    const response = await h.app.inject({ url: `/api/v1/conferences/${CONF}/stream` });
    expect(response.statusCode).toBe(401);
  });
});
