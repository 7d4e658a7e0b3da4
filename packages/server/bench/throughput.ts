/**
 * `pnpm bench throughput`: requests per second of a signed conference callback (a customer
 * put on hold or taken off it, for one of 1,000 registered conferences) on real Redis, side by
 * side with a bare Fastify route doing one Redis GET and one SET, in the same run: autocannon,
 * 50 connections, BENCH_DURATION_S (10) each, loopback only. The goal is >= 0.6x the bare route.
 *
 * The callbacks are signed before the clock starts, so the load generator (in this process,
 * like the server) spends no time on HMACs; Lifeline logs at its production level (info) into
 * a sink, so log formatting is counted but no terminal is. A third route, the same GET+SET
 * behind a signed form POST (read, parsed, signature checked), shows what any webhook pays
 * before Lifeline does anything. CPU per request (this process: the
 * server and the load generator) is reported too: on a machine shared with other work the
 * rates move with the competition, that figure much less.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import formbody from '@fastify/formbody';
import { publicUrl, validFormSignature } from '../src/webhooks/signatures.ts';
import { signForm } from '../test/support/sign.ts';
import { AUTH, BASE, REDIS_URL, appOn, closeAndClean, hex, registerConference } from './app.ts';
import { progress } from './report.ts';
import type { Figure } from './report.ts';

const CONFERENCES = 1_000;
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const CONNECTIONS = 50;
/** More than a run can send at the expected rates, so no callback is a duplicate. */
const POOL = Number(process.env['BENCH_POOL'] ?? 120_000);
const COMMAND = 'pnpm bench throughput';

interface Load {
  rps: number;
  p99Ms: number;
  non2xx: number;
  /**
   * CPU time of this process (server and load generator) per request: unlike the rate, it
   * hardly moves when other processes compete for the cores.
   */
  cpuUs: number;
}

function run(url: string, requests: autocannon.Request[]): Promise<Load> {
  const cpu = process.cpuUsage();
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections: CONNECTIONS, duration: DURATION_S, requests },
      (error, result) => {
        if (error !== null && error !== undefined) return reject(error);
        const used = process.cpuUsage(cpu);
        resolve({
          rps: result.requests.average,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
          cpuUs: (used.user + used.system) / Math.max(1, result.requests.total),
        });
      },
    );
  });
}

async function bare(): Promise<{ app: FastifyInstance; client: Redis }> {
  const client = new Redis(REDIS_URL);
  const app = Fastify({ logger: false });
  const key = `llbench-bare-${process.pid}`;
  app.get('/bare', async () => {
    const value = await client.get(key);
    await client.set(key, String(Number(value ?? 0) + 1), 'EX', 60);
    return { ok: true };
  });
  return { app, client };
}

/**
 * The same GET+SET behind what any webhook route pays before its handler: the signed form
 * POST read, parsed and its signature checked. Not a goal: it shows how much of the gap to the
 * bare route is the request itself rather than Lifeline's work.
 */
async function signedFloor(): Promise<{ app: FastifyInstance; client: Redis }> {
  const client = new Redis(REDIS_URL);
  const app = Fastify({ logger: false });
  await app.register(formbody);
  const key = `llbench-floor-${process.pid}`;
  app.post('/webhooks/conference-status', async (request, reply) => {
    const header = request.headers['x-twilio-signature'];
    const params = request.body as Record<string, string>;
    const url = publicUrl(BASE, request.url);
    if (!validFormSignature(AUTH, typeof header === 'string' ? header : undefined, url, params)) {
      return reply.code(403).send({ ok: false });
    }
    const value = await client.get(key);
    await client.set(key, String(Number(value ?? 0) + 1), 'EX', 60);
    return { ok: true };
  });
  return { app, client };
}

function signedRequests(callbacks: { body: string; signature: string }[]): autocannon.Request[] {
  let next = 0;
  return [
    {
      method: 'POST',
      setupRequest: (request) => {
        const callback = callbacks[next % callbacks.length];
        next += 1;
        return {
          ...request,
          headers: {
            ...request.headers,
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': callback?.signature ?? '',
          },
          body: callback?.body ?? '',
        };
      },
    },
  ];
}

function signedCallbacks(): { body: string; signature: string }[] {
  const url = `${BASE}/webhooks/conference-status`;
  return Array.from({ length: POOL }, (_, i) => {
    const conference = (i % CONFERENCES) + 1;
    const seq = Math.floor(i / CONFERENCES) + 1;
    const params: Record<string, string> = {
      ConferenceSid: `CF${hex(conference)}`,
      AccountSid: `AC${hex(1)}`,
      SequenceNumber: String(seq),
      Timestamp: new Date().toUTCString(),
      StatusCallbackEvent: seq % 2 === 0 ? 'participant-unhold' : 'participant-hold',
      CallSid: `CA${hex(1)}`,
      Hold: seq % 2 === 0 ? 'false' : 'true',
      EndConferenceOnExit: 'false',
    };
    return {
      body: new URLSearchParams(params).toString(),
      signature: signForm(AUTH, url, params),
    };
  });
}

export async function benchThroughput(): Promise<Figure[]> {
  progress(`throughput: bare GET+SET route, ${CONNECTIONS} connections, ${DURATION_S} s`);
  const baseline = await bare();
  const bareOrigin = await baseline.app.listen({ port: 0, host: '127.0.0.1' });
  const bareLoad = await run(`${bareOrigin}/bare`, [{ method: 'GET' }]);
  await baseline.app.close();
  baseline.client.disconnect();

  progress(`throughput: signing ${POOL} callbacks`);
  const callbacks = signedCallbacks();
  progress(`throughput: signed POST + GET+SET route, ${CONNECTIONS} connections, ${DURATION_S} s`);
  const floor = await signedFloor();
  const floorOrigin = await floor.app.listen({ port: 0, host: '127.0.0.1' });
  const floorLoad = await run(
    `${floorOrigin}/webhooks/conference-status`,
    signedRequests(callbacks),
  );
  await floor.app.close();
  floor.client.disconnect();

  progress(`throughput: registering ${CONFERENCES} conferences`);
  const app = await appOn(REDIS_URL, {}, { logs: true });
  for (let i = 1; i <= CONFERENCES; i += 1) {
    await registerConference(app, i);
  }
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  progress(`throughput: signed callbacks, ${CONNECTIONS} connections, ${DURATION_S} s`);
  const webhookLoad = await run(`${origin}/webhooks/conference-status`, signedRequests(callbacks));
  await closeAndClean(app, REDIS_URL);

  return [
    {
      name: `webhook, real Redis (${webhookLoad.non2xx} non-2xx)`,
      value: webhookLoad.rps,
      unit: 'req/s',
      baseline: `bare Fastify GET+SET (${bareLoad.non2xx} non-2xx)`,
      baselineValue: bareLoad.rps,
      kind: 'rate',
      goal: '>= 0.6x',
      command: COMMAND,
    },
    {
      name: `signed form POST + GET+SET, no Lifeline (${floorLoad.non2xx} non-2xx)`,
      value: floorLoad.rps,
      unit: 'req/s',
      baseline: 'bare Fastify GET+SET',
      baselineValue: bareLoad.rps,
      kind: 'rate',
      command: COMMAND,
    },
    {
      name: 'webhook, real Redis: CPU per request',
      value: webhookLoad.cpuUs,
      unit: 'µs',
      baseline: 'bare Fastify GET+SET, CPU per request',
      baselineValue: bareLoad.cpuUs,
      kind: 'cost',
      command: COMMAND,
    },
    {
      name: 'signed form POST + GET+SET, no Lifeline: CPU per request',
      value: floorLoad.cpuUs,
      unit: 'µs',
      baseline: 'bare Fastify GET+SET, CPU per request',
      baselineValue: bareLoad.cpuUs,
      kind: 'cost',
      command: COMMAND,
    },
    {
      name: 'webhook, real Redis: p99 latency',
      value: webhookLoad.p99Ms,
      unit: 'ms',
      baseline: 'bare Fastify GET+SET p99',
      baselineValue: bareLoad.p99Ms,
      kind: 'cost',
      command: COMMAND,
    },
  ];
}
