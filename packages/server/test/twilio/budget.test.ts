/**
 * The REST budget: Twilio counts every request of an account against one concurrency limit
 * (HTTP 429 beyond), so token validations take their slots out of TWILIO_MAX_CONCURRENCY
 * rather than beside it. Counted at a stand-in for Twilio that holds every request.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilio, effectSlots } from '../../src/twilio/client.ts';
import { sid } from '../support/payloads.ts';

const ACCOUNT = sid('AC', 1);

/** Holds every request until released; counts those in flight, in all and by kind. */
async function countingTwilio() {
  const held: http.ServerResponse[] = [];
  const peak = { all: 0, validations: 0 };
  const active = { all: 0, validations: 0 };
  const server = http.createServer((request, response) => {
    request.resume();
    const validation = request.url?.includes('/Tokens/validate') === true;
    active.all += 1;
    if (validation) active.validations += 1;
    peak.all = Math.max(peak.all, active.all);
    peak.validations = Math.max(peak.validations, active.validations);
    response.on('finish', () => {
      active.all -= 1;
      if (validation) active.validations -= 1;
    });
    held.push(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    peak,
    releaseAll: () => {
      for (const response of held.splice(0)) {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ sid: sid('CF', 1), status: 'in-progress' }));
      }
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("the account's REST budget", () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('gives the effects what the token checks do not keep, and at least one slot', () => {
    expect(effectSlots(50, 8)).toBe(42);
    expect(effectSlots(100, 8)).toBe(92);
    expect(effectSlots(2, 8)).toBe(1);
  });

  it('never has more requests in flight than TWILIO_MAX_CONCURRENCY, token checks included', async () => {
    const twilio = await countingTwilio();
    closers.push(() => twilio.close());
    const { client, validateToken } = createTwilio({
      accountSid: ACCOUNT,
      authToken: 'token',
      apiBaseUrl: twilio.url,
      maxConcurrency: 6,
      authConcurrency: 2,
    });
    // A mass disconnect's effects and a wave of agents logging back in, at once.
    const effects = Array.from({ length: 20 }, (_, n) =>
      client.api.v2010
        .accounts(ACCOUNT)
        .conferences(sid('CF', n + 1))
        .update({
          announceUrl: 'http://127.0.0.1/announce',
        }),
    );
    const logins = Array.from({ length: 20 }, (_, n) => validateToken(`token-${n}`));
    await until(() => twilio.held.length === 6, 'six requests in flight');
    // A moment more: nothing else gets through while the six are held.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(twilio.held).toHaveLength(6);
    while (twilio.held.length > 0) {
      twilio.releaseAll();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.allSettled([...effects, ...logins]);
    expect(twilio.peak.all).toBe(6);
    expect(twilio.peak.validations).toBe(2);
  });
});
