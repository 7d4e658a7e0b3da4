/**
 * Which failed Twilio requests may still have been carried out: judged on the errors the
 * official client (twilio-node, over twilio/transport.ts) really throws, not on hand-made
 * error objects.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilio } from '../../src/twilio/client.ts';
import { mayHaveReachedTwilio } from '../../src/effects/errors.ts';
import { heldTwilio } from '../drills/held-twilio.ts';
import { sid } from '../support/payloads.ts';
import { refusedUrl } from '../support/refused.ts';

const ACCOUNT = sid('AC', 1);
const CONFERENCE = sid('CF', 1);

function announceThrough(apiBaseUrl: string): Promise<unknown> {
  const { client } = createTwilio({
    accountSid: ACCOUNT,
    authToken: 'token',
    apiBaseUrl,
    maxConcurrency: 5,
    authConcurrency: 1,
    timeoutMs: 300,
  });
  return client.api.v2010
    .accounts(ACCOUNT)
    .conferences(CONFERENCE)
    .update({ announceUrl: 'http://127.0.0.1/announce' })
    .then(
      () => null,
      (error: unknown) => error,
    );
}

describe('a failed request that may have reached Twilio', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('is one that timed out: Twilio got it and may have acted', async () => {
    const twilio = await heldTwilio(1);
    closers.push(() => twilio.close());
    const error = await announceThrough(twilio.url);
    expect(error).not.toBeNull();
    expect(twilio.arrivals).toHaveLength(1);
    expect(mayHaveReachedTwilio(error)).toBe(true);
  });

  it('is not one Twilio answered (429), nor one that never connected', async () => {
    const server = http.createServer((request, response) => {
      request.resume();
      response.writeHead(429, { 'content-type': 'application/json' }).end('{"code":20429}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answered = await announceThrough(url);
    expect(answered).not.toBeNull();
    expect(mayHaveReachedTwilio(answered)).toBe(false);
    server.close();
    server.closeAllConnections();
    // A port nothing listens on: the connection is refused before anything is sent.
    const refused = await announceThrough(await refusedUrl());
    expect(refused).not.toBeNull();
    expect(mayHaveReachedTwilio(refused)).toBe(false);
  });
});
