/**
 * `pnpm bench [case ...]`: how much a webhook costs the server, as ratios against baselines
 * measured in the same run on the same machine (absolute numbers vary between machines;
 * ratios less so). Shows progress on stderr, prints a table and writes bench/results.md (see
 * report.ts). Cases: `streams`, `memory`, `throughput`, `step`, `webhook`, `mass` (all when
 * none is named).
 *
 *   pure step          step() of the statechart per event     vs  JSON round trip of its snapshot
 *   webhook (memory)   signed conference callback, end to end  vs  GET /healthz through Fastify
 *   webhook (redis)    the same on real Redis (REDIS_URL)      vs  one Redis PING round trip x3
 *   memory             Redis bytes per live / finished conference  vs  the goals (memory.ts)
 *   mass               a mass disconnect in the simulator     vs  the floor the REST cap sets
 *                      (mass.ts; `--calls N` and the options it lists)
 *
 * The webhook path is validate → load → transition() → one Lua compare-and-set.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { persist, start, step } from '@lifeline/machine';
import type { RecoveryEvent } from '@lifeline/machine';
import { AUTH, BASE, appOn, closeAndClean, hex, registerConference } from './app.ts';
import { signForm } from '../test/support/sign.ts';
import { benchMass, splitArgs } from './mass.ts';
import type { CaseContext } from './mass.ts';
import { benchMemory } from './memory.ts';
import { benchStreams } from './sse-streams.ts';
import { benchThroughput } from './throughput.ts';
import { machine, markdown, progress, readResults, table, writeResults } from './report.ts';
import type { Figure } from './report.ts';

const ITER = Number(process.env['BENCH_ITERATIONS'] ?? 2000);

const COMMAND = 'pnpm bench';

async function time(iterations: number, op: (i: number) => Promise<void> | void): Promise<number> {
  for (let i = 0; i < Math.min(200, iterations); i += 1) await op(-1 - i); // warm-up
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) await op(i);
  return ((performance.now() - started) * 1000) / iterations;
}

async function benchPureStep(): Promise<Figure[]> {
  progress(`pure step(): ${ITER * 5} steps, then as many snapshot JSON round trips`);
  const snapshot = start({ conferenceSid: `CF${hex(1)}` }).snapshot;
  const registered = step(snapshot, {
    type: 'agent.registered',
    at: 0,
    taskSid: `WT${hex(1)}`,
    workflowSid: `WW${hex(1)}`,
    taskAttributes: { from: '+1555' },
    customerCallSid: `CA${hex(1)}`,
    workerSid: `WK${hex(1)}`,
    reservationSid: `WR${hex(1)}`,
    workerCallSid: `CA${hex(2)}`,
    workerName: 'Bench',
  }).snapshot;
  const event = (seq: number): RecoveryEvent => ({
    type: 'participant.updated',
    at: 0,
    seq,
    callSid: `CA${hex(1)}`,
    label: 'customer',
    endConferenceOnExit: false,
    hold: seq % 2 === 0,
    change: 'hold',
  });
  // One after the other: measured together they would share the same wall time.
  const stepUs = await time(ITER * 5, (i) => void step(registered, event(i + 1000)));
  const jsonUs = await time(ITER * 5, () => void JSON.parse(JSON.stringify(persist(registered))));
  return [
    {
      name: 'pure step()',
      value: stepUs,
      unit: 'µs/op',
      baseline: 'snapshot JSON round trip',
      baselineValue: jsonUs,
      kind: 'cost',
      command: `${COMMAND} step`,
    },
  ];
}

/** Registers one conference per 100 callbacks, then sends signed hold/unhold callbacks to it. */
async function webhookUs(app: FastifyInstance, iterations: number): Promise<number> {
  let conference = 0;
  let seq = 0;
  const register = async () => {
    conference += 1;
    seq = 0;
    await registerConference(app, conference, 1);
  };
  await register();
  return time(iterations, async () => {
    if (seq >= 100) await register();
    seq += 1;
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
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signForm(AUTH, `${BASE}/webhooks/conference-status`, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
    if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}`);
  });
}

async function benchWebhooks(): Promise<Figure[]> {
  const results: Figure[] = [];
  progress(`webhook, embedded store: ${ITER} GET /healthz, then ${ITER} signed callbacks`);
  const memory = await appOn();
  const healthUs = await time(ITER, async () => void (await memory.inject({ url: '/healthz' })));
  results.push({
    name: 'webhook (inject), embedded store',
    value: await webhookUs(memory, ITER),
    unit: 'µs/op',
    baseline: 'GET /healthz (inject)',
    baselineValue: healthUs,
    kind: 'cost',
    command: `${COMMAND} webhook`,
  });
  await memory.close();

  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await probe.connect();
  } catch {
    probe.disconnect();
    progress(`no Redis at ${url}: skipping the real-Redis row`);
    return results;
  }
  progress(`webhook, real Redis: ${ITER} x 3 PINGs, then ${ITER} signed callbacks`);
  const pingUs = await time(ITER, async () => {
    await probe.ping();
    await probe.ping();
    await probe.ping();
  });
  probe.disconnect();
  const real = await appOn(url);
  results.push({
    name: 'webhook (inject), real Redis',
    value: await webhookUs(real, ITER),
    unit: 'µs/op',
    baseline: '3 Redis PING round trips',
    baselineValue: pingUs,
    kind: 'cost',
    command: `${COMMAND} webhook`,
  });
  await closeAndClean(real, url);
  return results;
}

// Memory is measured first, before other cases leave garbage behind (the script runs with
// --expose-gc, and the streams case collects before each sample). The mass disconnect runs in
// a process of its own (mass.ts) and last, so its load leaves the others alone.
const cases: Record<string, (context: CaseContext) => Promise<Figure[]>> = {
  streams: benchStreams,
  memory: benchMemory,
  throughput: benchThroughput,
  step: benchPureStep,
  webhook: benchWebhooks,
  mass: benchMass,
};

async function main() {
  // Other work on the machine moves every rate; the load it had is part of the record.
  const loadAtStart = loadavg()[0] ?? 0;
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  const { named, options } = splitArgs(args);
  const unknown = named.filter((name) => !(name in cases));
  if (unknown.length > 0) {
    throw new Error(`unknown case ${unknown.join(', ')}; cases: ${Object.keys(cases).join(', ')}`);
  }
  const chosen = named.length === 0 ? Object.keys(cases) : named;
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const [index, name] of chosen.entries()) {
    progress(`case ${index + 1}/${chosen.length}: ${name}`);
    const run = cases[name];
    if (run === undefined) continue;
    figures.push(...(await run({ options, notes })));
  }
  process.stdout.write(`${table(figures)}\n`);
  if (chosen.includes('step') || chosen.includes('webhook')) {
    notes.push(`${ITER} iterations per micro-benchmark (BENCH_ITERATIONS).`);
  }
  notes.push(
    `load average (1 min) at the start ${loadAtStart.toFixed(2)}, at the end ${(loadavg()[0] ?? 0).toFixed(2)}, on ${cpus().length} cores.`,
  );
  const path = new URL('../../../bench/results.md', import.meta.url);
  const content = markdown(figures, machine(), new Date(), notes, {
    cases: chosen,
    order: Object.keys(cases),
    previous: readResults(path),
  });
  await writeResults(path, content);
  progress(`wrote ${path.pathname}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
