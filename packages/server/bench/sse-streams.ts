/**
 * `pnpm bench streams`: memory and CPU of 1,000 open SSE streams on an idle floor. The server
 * (real Redis when it answers, else the embedded store) first idles with no stream (the
 * floor), then with STREAMS inspector streams open, one per conference, as long each time.
 * Clients live in the same process (idle sockets cost little); the figures are the process's.
 */
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { REDIS_URL, appOn, closeAndClean, hex, registerConference } from './app.ts';
import { progress } from './report.ts';
import type { Figure } from './report.ts';

const STREAMS = Number(process.env['BENCH_STREAMS'] ?? 1_000);
const IDLE_MS = Number(process.env['BENCH_IDLE_MS'] ?? 10_000);
const BASIC = 'bench:bench-password';
const COMMAND = 'pnpm bench streams';

interface Sample {
  cpuPercent: number;
  rssMb: number;
  heapMb: number;
}

async function idle(ms: number): Promise<Sample> {
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = process.cpuUsage(cpu);
  const wallUs = (performance.now() - started) * 1000;
  const memory = process.memoryUsage();
  return {
    cpuPercent: ((used.user + used.system) / wallUs) * 100,
    rssMb: memory.rss / 2 ** 20,
    heapMb: memory.heapUsed / 2 ** 20,
  };
}

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await probe.connect();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function seed(app: FastifyInstance): Promise<void> {
  for (let i = 1; i <= STREAMS; i += 1) {
    await registerConference(app, i);
  }
}

/** One commit per conference (a customer put on hold or taken off it); resolves when all are in. */
async function commitEach(app: FastifyInstance, seq: number): Promise<void> {
  await Promise.all(
    Array.from({ length: STREAMS }, (_, j) =>
      app.lifeline.engine.dispatch({
        conferenceSid: `CF${hex(j + 1)}`,
        source: 'bench',
        event: {
          type: 'participant.updated',
          at: 0,
          seq,
          callSid: `CA${hex(1)}`,
          label: 'customer',
          endConferenceOnExit: false,
          hold: seq % 2 === 1,
          change: 'hold',
        },
      }),
    ),
  );
}

/** Opens one stream and resolves once its first message has arrived. */
function open(origin: string, agent: http.Agent, i: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${origin}/inspect/api/conferences/CF${hex(i)}/stream`,
      { agent, headers: { authorization: `Basic ${Buffer.from(BASIC).toString('base64')}` } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`stream answered ${response.statusCode}`));
          return;
        }
        response.once('data', () => resolve(response));
      },
    );
    request.on('error', reject);
  });
}

export async function benchStreams(): Promise<Figure[]> {
  const real = await redisAnswers();
  const store = real ? 'real Redis' : 'embedded store';
  const app = await appOn(real ? REDIS_URL : undefined, { INSPECT_BASIC_AUTH: BASIC });
  progress(`streams (${store}): seeding ${STREAMS} conferences`);
  await seed(app);
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  progress(`streams: ${STREAMS} commits with no stream open (the wake-up baseline)`);
  const commitsStarted = performance.now();
  await commitEach(app, 1);
  const commitsMs = performance.now() - commitsStarted;
  progress(`streams: idle floor, no stream open, ${IDLE_MS} ms`);
  await idle(1_000);
  const floor = await idle(IDLE_MS);

  progress(`streams: opening ${STREAMS} streams`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const responses: IncomingMessage[] = [];
  for (let from = 1; from <= STREAMS; from += 100) {
    const batch = Array.from({ length: Math.min(100, STREAMS - from + 1) }, (_, j) => from + j);
    responses.push(...(await Promise.all(batch.map((i) => open(origin, agent, i)))));
  }
  progress(`streams: ${STREAMS} open, idle ${IDLE_MS} ms`);
  await idle(1_000);
  const open1000 = await idle(IDLE_MS);

  // One commit per conference; each wakes its stream, which reads and sends it.
  progress('streams: one commit per conference, each wakes its stream');
  const woken = Promise.all(
    responses.map((response) => new Promise((resolve) => response.once('data', resolve))),
  );
  const wakeStarted = performance.now();
  await commitEach(app, 2);
  await woken;
  const wakeMs = performance.now() - wakeStarted;

  for (const response of responses) response.destroy();
  agent.destroy();
  await closeAndClean(app, real ? REDIS_URL : undefined);
  const label = `${STREAMS} idle streams (${store})`;
  return [
    {
      name: `${label}: RSS`,
      value: open1000.rssMb,
      unit: 'MB',
      baseline: 'same server, no stream',
      baselineValue: floor.rssMb,
      kind: 'cost',
      command: COMMAND,
    },
    {
      name: `${label}: heap used`,
      value: open1000.heapMb,
      unit: 'MB',
      baseline: 'same server, no stream',
      baselineValue: floor.heapMb,
      kind: 'cost',
      command: COMMAND,
    },
    {
      name: `${label}: CPU`,
      value: open1000.cpuPercent,
      unit: '% of a core',
      baseline: 'same server, no stream',
      baselineValue: floor.cpuPercent,
      kind: 'cost',
      command: COMMAND,
    },
    {
      name: `${STREAMS} commits, each waking its stream (${store})`,
      value: wakeMs,
      unit: 'ms',
      baseline: `${STREAMS} commits, no stream open`,
      baselineValue: commitsMs,
      kind: 'cost',
      command: COMMAND,
    },
  ];
}
