/**
 * `pnpm bench throughput`: requests per second of a signed conference callback (a customer
 * put on hold or taken off it, for one of 1,000 registered conferences) on real Redis, side by
 * side with a bare Fastify route doing one Redis GET and one SET, in the same run: autocannon,
 * 50 connections, BENCH_DURATION_S (10) each, loopback only. The goal is >= 0.6x the bare route.
 *
 * The load generator runs in a process of its own (load-generator.ts): in the server's process
 * autocannon's own work would be counted, and scheduled, as the server's. Callbacks are signed
 * before the clock starts; Lifeline logs at its production level (info) into a sink, so log
 * formatting is counted but no terminal is. A third route, the same GET+SET behind a signed
 * form POST (read, parsed, signature checked), shows what any webhook pays before Lifeline does
 * anything. CPU per request of the server's process is reported too: on a machine shared with
 * other work the rates move with the competition, that figure much less.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import formbody from '@fastify/formbody';
import { publicUrl, validFormSignature } from '../src/webhooks/signatures.ts';
import { AUTH, BASE, REDIS_URL, appOn, closeAndClean, registerConference } from './app.ts';
import type { LoadOrder, LoadResult } from './load-generator.ts';
import { progress } from './report.ts';
import type { Figure } from './report.ts';

const CONFERENCES = 1_000;
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const CONNECTIONS = 50;
/** More than a run can send at the expected rates, so no callback is a duplicate. */
const POOL = Number(process.env['BENCH_POOL'] ?? 200_000);
const COMMAND = 'pnpm bench throughput';
const CALLBACK_URL = `${BASE}/webhooks/conference-status`;

interface Load extends LoadResult {
  /**
   * CPU time of the server's process per request: unlike the rate, it hardly moves when other
   * processes compete for the cores.
   */
  cpuUs: number;
}

type GeneratorMessage =
  { ready: true } | { ok: true; result: LoadResult } | { ok: false; error: string };

/** Forks the load generator and waits until it is ready to take an order. */
function generator(): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL('./load-generator.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', () => resolve(child));
  });
}

function run(child: ChildProcess, url: string, kind: LoadOrder['kind']): Promise<Load> {
  const order: LoadOrder = {
    url,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    kind,
    auth: AUTH,
    signedUrl: CALLBACK_URL,
    conferences: CONFERENCES,
    pool: POOL,
  };
  return new Promise((resolve, reject) => {
    let cpu = process.cpuUsage();
    const onMessage = (message: GeneratorMessage) => {
      if ('ready' in message) return;
      child.off('message', onMessage);
      if (!message.ok) return reject(new Error(message.error));
      const used = process.cpuUsage(cpu);
      resolve({
        ...message.result,
        cpuUs: (used.user + used.system) / Math.max(1, message.result.total),
      });
    };
    child.on('message', onMessage);
    cpu = process.cpuUsage();
    child.send(order);
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

export async function benchThroughput(): Promise<Figure[]> {
  const child = await generator();
  try {
    return await measure(child);
  } finally {
    child.kill();
  }
}

async function measure(child: ChildProcess): Promise<Figure[]> {
  progress(`throughput: bare GET+SET route, ${CONNECTIONS} connections, ${DURATION_S} s`);
  const baseline = await bare();
  const bareOrigin = await baseline.app.listen({ port: 0, host: '127.0.0.1' });
  const bareLoad = await run(child, `${bareOrigin}/bare`, 'get');
  await baseline.app.close();
  baseline.client.disconnect();

  progress(`throughput: signed POST + GET+SET route, ${CONNECTIONS} connections, ${DURATION_S} s`);
  const floor = await signedFloor();
  const floorOrigin = await floor.app.listen({ port: 0, host: '127.0.0.1' });
  const floorLoad = await run(
    child,
    `${floorOrigin}/webhooks/conference-status`,
    'signed-callbacks',
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
  const webhookLoad = await run(child, `${origin}/webhooks/conference-status`, 'signed-callbacks');
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
