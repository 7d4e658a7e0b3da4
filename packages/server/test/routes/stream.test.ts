import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow } from '../support/flow.ts';
import { AGENT_TOKEN, CONF, WORKER, sid } from '../support/payloads.ts';
import { sseReader } from '../support/sse.ts';

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

  it('is no existence oracle: not theirs and not there answer alike', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    h.twilio.tokens.set('outsider-token', { worker_sid: sid('WK', 55), roles: ['agent'] });
    const ask = (conferenceSid: string) =>
      h.app.inject({
        url: `/api/v1/conferences/${conferenceSid}/stream`,
        headers: { authorization: 'Bearer outsider-token' },
      });
    const existing = await ask(CONF);
    const missing = await ask(sid('CF', 404));
    expect(existing.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(existing.json()).toEqual(missing.json());
  });

  it("closes an open stream once its token's validation lapses and Twilio refuses it", async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    const revocable = 'revocable-token';
    h.twilio.tokens.set(revocable, { worker_sid: WORKER, roles: ['agent'] });
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request(`${address}/api/v1/conferences/${CONF}/stream?token=${revocable}`, resolve)
        .on('error', reject)
        .end();
    });
    expect(response.statusCode).toBe(200);
    const reader = sseReader(response);
    await reader.next(1);
    const ended = new Promise<void>((resolve) => response.on('end', resolve));
    // Revoked at Twilio; the cached validation (60 s) then lapses.
    h.twilio.tokens.delete(revocable);
    h.clock.now += 61_000;
    await ended;
    expect(response.complete).toBe(true);
  });

  it('keeps a stream whose token Twilio still accepts after the validation lapses', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request(`${address}/api/v1/conferences/${CONF}/stream?token=${AGENT_TOKEN}`, resolve)
        .on('error', reject)
        .end();
    });
    const reader = sseReader(response);
    await reader.next(1);
    const validations = () => h.twilio.calls.filter((c) => c.path.includes('/Tokens/validate'));
    const before = validations().length;
    h.clock.now += 61_000;
    // The stream's next poll asks Twilio again (within a second) and carries on.
    const deadline = Date.now() + 3_000;
    while (validations().length === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(validations().length).toBe(before + 1);
    await flow.agentDrops();
    expect(await reader.next(2)).toMatchObject({ state: 'pinging' });
    response.destroy();
  });

  it('answers 401 without a token', async () => {
    const response = await h.app.inject({ url: `/api/v1/conferences/${CONF}/stream` });
    expect(response.statusCode).toBe(401);
  });
});
