import type { FastifyInstance } from 'fastify';
import RedisMock from 'ioredis-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, uniquePrefix } from '../support/app.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { Flow } from '../support/flow.ts';
import { AGENT_TOKEN, CONF, RESERVATION, TASK, WORKER } from '../support/payloads.ts';

const until = async (condition: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('token floods cannot starve recoveries', () => {
  let twilio: FakeTwilio;
  let app: FastifyInstance;
  const clock = { now: Date.now() };

  beforeEach(async () => {
    twilio = await startFakeTwilio();
    twilio.tokens.set(AGENT_TOKEN, { worker_sid: WORKER, roles: ['agent'] });
    twilio.assign({
      conferenceSid: CONF,
      taskSid: TASK,
      workerSid: WORKER,
      reservationSid: RESERVATION,
    });
    clock.now = Date.now();
    app = await testApp({
      twilioUrl: twilio.url,
      client: new RedisMock(),
      prefix: uniquePrefix(),
      now: () => clock.now,
      // Few effect slots (5 less the 3 kept for token checks), so before the fix a handful of
      // token checks took them all.
      env: { TWILIO_MAX_CONCURRENCY: '5', AUTH_MAX_CONCURRENCY: '3' },
    });
  });
  afterEach(async () => {
    await app.close();
    await twilio.close();
  });

  const garbage = (n: number, ip: string) =>
    app.inject({
      url: `/api/v1/workers/${WORKER}/recovery`,
      headers: { authorization: `Bearer garbage-${n}`, 'x-forwarded-for': ip },
    });

  it("sends a recovery's effects at once while garbage tokens hold every validation slot", async () => {
    const flow = new Flow(() => [app], twilio);
    await flow.threePartyCall();
    await app.lifeline.runner.drain();
    const release = twilio.holdValidations();
    const flood = Array.from({ length: 40 }, (_, n) => garbage(n, `127.0.1.${n % 250}`));
    await until(() => twilio.validations.active === 3);

    const started = Date.now();
    await flow.agentDrops();
    await app.lifeline.runner.drain();
    expect(flow.pingTask()).toBeDefined();
    expect(Date.now() - started).toBeLessThan(1_000);
    // Validation kept to its own budget the whole time.
    expect(twilio.validations.peak).toBe(3);

    release();
    const answers = await Promise.all(flood);
    expect(answers.every((answer) => answer.statusCode === 401)).toBe(true);
  });

  it('caches a refused token briefly: repeating it does not ask Twilio again', async () => {
    const validations = () => twilio.calls.filter((call) => call.path.includes('/Tokens/validate'));
    for (let i = 0; i < 5; i += 1) expect((await garbage(1, '127.0.2.1')).statusCode).toBe(401);
    expect(validations()).toHaveLength(1);
    clock.now += 11_000;
    expect((await garbage(1, '127.0.2.1')).statusCode).toBe(401);
    expect(validations()).toHaveLength(2);
  });

  it('answers 429 with Retry-After to a client past 20 failures, without asking Twilio', async () => {
    for (let n = 0; n < 20; n += 1) expect((await garbage(n, '127.0.3.1')).statusCode).toBe(401);
    const asked = twilio.calls.length;
    const limited = await garbage(99, '127.0.3.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(twilio.calls.length).toBe(asked);
    // Another client, and a valid token from it, are unaffected.
    const other = await app.inject({
      url: `/api/v1/workers/${WORKER}/recovery`,
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'x-forwarded-for': '127.0.3.2' },
    });
    expect(other.statusCode).toBe(404);
    // The window passes: the client may try again.
    clock.now += 61_000;
    expect((await garbage(100, '127.0.3.1')).statusCode).toBe(401);
  });
});
