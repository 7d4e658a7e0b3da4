/**
 * `pnpm bench mass`: a mass disconnect (issue 12, items 3 and 4). Live calls in the simulator
 * on its realistic timing (REST latency median 100 ms with its tail), Twilio's cap on
 * concurrent REST requests (429 above it), and half the agents dropping at once, as an office
 * network blip drops them: no pagehide beacon, the page back after `awayMs`. It measures, from
 * the drop:
 *
 *   - until every customer hears the announcement (the simulator's timeline of each customer);
 *   - until every Recovery Ping task exists (the simulator's REST log);
 *   - until every recovery is final (the server's store), and how many did not end recovered;
 *   - the 429s the cap answered;
 *   - decision latency, per conference: from the simulator sending the agent's
 *     participant-leave to the announcement request reaching it (both loopback hops and the
 *     server's HTTP queue included: the server is measured from outside, as Twilio sees it).
 *
 * The server is the production entry point in its own process (main.ts), on real Redis; the
 * simulator and the simulated agents share this one, as Twilio and the browsers would never
 * share the server's.
 *
 * Each time stands next to the floor the cap sets: the REST requests answered by then x the
 * median REST latency / the cap, i.e. how long that much work takes at the cap with no wait.
 * Decision latency stands next to the same measure for one drop alone, in the same run.
 */
import type { Simulator } from '@lifeline/simulator';
import { typicalMs, waitFor } from '@lifeline/simulator';
import { RedisStore, connectRedis } from '@lifeline/server';
import type { SimulatedAgent } from '../src/agents/agent.ts';
import { startStack } from '../src/stack/stack.ts';
import type { Stack } from '../src/stack/stack.ts';
import { singleRedis } from '../src/stack/redis-target.ts';
import { realisticAt } from '../src/stack/timing.ts';

/** A figure as packages/server/bench/report.ts prints and keeps it (sent over IPC). */
export interface MassFigure {
  name: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  kind: 'cost' | 'rate';
  goal?: string;
  command: string;
}

export interface MassOptions {
  /** Live calls (one agent each). */
  calls: number;
  /** Agents that drop at once (at most `calls`). */
  drops: number;
  /** Twilio's concurrent REST requests (429 above). */
  cap: number;
  /** How long a dropped agent's page stays away. */
  awayMs: number;
  /** Give up waiting for final recoveries after this long (they count as lost). */
  timeoutMs: number;
  redisUrl: string;
  seed: number;
  progress: (message: string) => void;
}

export interface MassResult {
  figures: MassFigure[];
  notes: string[];
}

const COMMAND = 'pnpm bench mass';
/** Lone drops before the mass one, whose median is the unloaded baseline. */
const ALONE_DROPS = 3;
/** How long the idle server's CPU is sampled before each drop (idleCpuRate). */
const IDLE_SAMPLE_MS = 2_000;

interface Connected {
  agent: SimulatedAgent;
  conferenceSid: string;
  customerCallSid: string;
  workerCallSid: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** The call as Lifeline keeps it: only the customer may end the conference by leaving. */
function steady(sim: Simulator, call: Connected): boolean {
  const conference = sim.world.conferences.get(call.conferenceSid);
  if (conference === undefined) return false;
  const connected = sim.world.conferences.connected(conference);
  return (
    connected.length >= 2 &&
    !connected.some((p) => p.endConferenceOnExit && p.callSid !== call.customerCallSid)
  );
}

/** `count` customers call in, each taken by one of `agents`; resolves once all are steady. */
async function connect(stack: Stack, agents: SimulatedAgent[], first: number) {
  for (const [i] of agents.entries()) {
    const from = `+1555${String(first + i).padStart(7, '0')}`;
    stack.sim.calls.inbound({
      from,
      workflowSid: stack.setup.voiceWorkflowSid,
      attributes: { from, direction: 'inbound' },
    });
  }
  const calls = await waitFor(
    () => {
      const ready: Connected[] = [];
      for (const agent of agents) {
        const call = agent.currentCall;
        if (call?.registered !== true || call.conferenceSid === null) return null;
        ready.push({
          agent,
          conferenceSid: call.conferenceSid,
          customerCallSid: call.customerCallSid ?? '',
          workerCallSid: call.workerCallSid,
        });
      }
      return ready;
    },
    { timeoutMs: 120_000, intervalMs: 100, description: `${agents.length} calls connected` },
  );
  await waitFor(
    () => stack.sim.webhooks.pending === 0 && calls.every((call) => steady(stack.sim, call)),
    { timeoutMs: 120_000, intervalMs: 100, description: `${agents.length} calls steady` },
  );
  return calls;
}

/**
 * What Twilio's side saw, stamped by the simulator: the server runs in a process of its own
 * and is measured from outside, as Twilio would see it.
 */
class Stamps {
  constructor(private readonly sim: Simulator) {}

  /** When the simulator sent each agent leg's participant-leave (first attempt), by call SID. */
  leavesSent(): Map<string, number> {
    const leaves = new Map<string, number>();
    for (const attempt of this.sim.webhooks.of('conference')) {
      const params = attempt.params;
      if (params?.['StatusCallbackEvent'] !== 'participant-leave') continue;
      const callSid = params['CallSid'];
      if (callSid === undefined) continue;
      leaves.set(callSid, Math.min(attempt.at, leaves.get(callSid) ?? attempt.at));
    }
    return leaves;
  }

  /** When each conference's first announcement request reached the simulator. */
  announced(): Map<string, number> {
    const announced = new Map<string, number>();
    for (const request of this.sim.requests.of('UpdateConference')) {
      if (request.params['AnnounceUrl'] === undefined) continue;
      const conferenceSid = /\/Conferences\/(CF[0-9a-f]+)/.exec(request.path)?.[1];
      if (conferenceSid === undefined || announced.has(conferenceSid)) continue;
      announced.set(conferenceSid, request.at);
    }
    return announced;
  }

  /**
   * From the agent leg's participant-leave sent to the announcement request received, per
   * call: the server's decision with both loopback hops and its HTTP queue included.
   */
  decisionMs(calls: Connected[]): number[] {
    const leaves = this.leavesSent();
    const announced = this.announced();
    const latencies: number[] = [];
    for (const call of calls) {
      const sent = leaves.get(call.workerCallSid);
      const at = announced.get(call.conferenceSid);
      if (sent !== undefined && at !== undefined) latencies.push(at - sent);
    }
    return latencies.sort((a, b) => a - b);
  }
}

/** When the customer first heard the announcement after `from` (null: not yet). */
function heardAnnouncementAt(sim: Simulator, callSid: string, from: number): number | null {
  const segment = sim
    .timeline(callSid)
    .segments.find((s) => s.from >= from && s.hearing.kind === 'announcement');
  return segment?.from ?? null;
}

function pingTasksSince(sim: Simulator, from: number): number[] {
  return sim.requests
    .of('CreateTask')
    .filter(
      (r) =>
        r.at >= from && r.status < 300 && String(r.params['Attributes']).includes('Recovery Ping'),
    )
    .map((r) => r.at)
    .sort((a, b) => a - b);
}

/** REST requests the simulator answered (429s aside) from `from` to `to`. */
function answered(sim: Simulator, from: number, to: number): number {
  return sim.requests.records.filter((r) => r.at >= from && r.at <= to && r.status !== 429).length;
}

interface Outcome {
  at: number;
  outcome: string;
}

async function outcomeOf(store: RedisStore, conferenceSid: string): Promise<Outcome | null> {
  const stored = await store.load(conferenceSid);
  if (stored === null || !stored.final) return null;
  const context = (
    stored.snapshot as { context?: { outcome?: { kind?: string; reason?: string } } }
  ).context;
  const outcome = context?.outcome;
  return {
    at: Date.now(),
    outcome: outcome?.kind === 'recovered' ? 'recovered' : (outcome?.reason ?? 'unknown'),
  };
}

/** Sets each fresh final's time to its final commit's (the listing's last-update time). */
async function stampFinals(store: RedisStore, finals: Map<string, Outcome>, fresh: string[]) {
  const page = await store.listConferences({ final: true, offset: 0, limit: 1_000_000 });
  const committed = new Map(page.items.map((item) => [item.conferenceSid, item.updatedAt]));
  for (const sid of fresh) {
    const outcome = finals.get(sid);
    const at = committed.get(sid);
    if (outcome !== undefined && at !== undefined) finals.set(sid, { ...outcome, at });
  }
}

export async function benchMass(options: MassOptions): Promise<MassResult> {
  const { progress } = options;
  const timing = realisticAt(1);
  const latencyMs = typicalMs(timing.restLatencyMs);
  const stack = await startStack({
    redisUrl: options.redisUrl,
    seed: options.seed,
    timing,
    // Long enough that a slow recovery under load is not escalated: it is measured as it is.
    pingTimeoutS: 600,
    reconnectTimeoutS: 600,
    redialTimeoutS: 120,
    // The production entry point in a process of its own (production loops), as deployed:
    // the simulator and the simulated agents stand for Twilio and the browsers, which never
    // share the server's event loop. As many effects in flight as the account may have requests.
    server: 'child',
    serverEnv: { TWILIO_MAX_CONCURRENCY: String(options.cap), LOG_LEVEL: 'warn' },
  });
  // The bench reads outcomes from the server's store, as the inspector would.
  const { client } = connectRedis(stack.redis ?? singleRedis(options.redisUrl));
  const store = new RedisStore(client, { prefix: stack.redisKeyPrefix });
  try {
    return await measure(stack, store, options, latencyMs, progress);
  } finally {
    progress('mass: closing the stack');
    client.disconnect();
    await stack.close();
  }
}

/** What one drop alone took, from the server receiving its agent's leave. */
interface LoneDrop {
  leaveMs: number;
  announcedMs: number;
  pingMs: number;
  finalMs: number;
  decisionMs: number;
  outcome: string;
  /** The server's CPU from the drop to the recovery's end, less its idle rate, in ms. */
  cpuMs: number;
}

/** The server process's /metrics (open in the bench), or null without a server process. */
async function serverMetrics(stack: Stack): Promise<string | null> {
  if (stack.child === null) return null;
  return (await fetch(`${stack.child.url}/metrics`)).text();
}

/**
 * The server's own count of retried effects, by type (its /metrics, open in the bench): what
 * waited on a 429, a timeout or a 5xx, which the times above include.
 */
async function effectRetries(stack: Stack): Promise<string> {
  const text = await serverMetrics(stack);
  if (text === null) return 'not measured (no server process)';
  const counts = [...text.matchAll(/^lifeline_effect_retries_total\{type="(\w+)"\} (\d+)$/gm)]
    .map(([, type, count]) => `${type} ${count}`)
    .join(', ');
  return counts === '' ? 'none' : counts;
}

/** CPU seconds the server process has used (its /metrics); NaN without a server process. */
async function serverCpuS(stack: Stack): Promise<number> {
  const text = await serverMetrics(stack);
  if (text === null) return Number.NaN;
  const match = /^lifeline_process_cpu_seconds_total (\S+)$/m.exec(text);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}

/**
 * The server's CPU a second with nothing happening (its loops polling Redis, the live calls'
 * streams), in ms: taken out of the CPU figures, which count only what a drop added.
 */
async function idleCpuRate(stack: Stack): Promise<number> {
  const from = { cpuS: await serverCpuS(stack), at: Date.now() };
  await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
  return (((await serverCpuS(stack)) - from.cpuS) * 1000 * 1000) / (Date.now() - from.at);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Drops `agent`'s call with no other drop going on and waits for its recovery to be final. */
async function dropAlone(
  stack: Stack,
  store: RedisStore,
  stamps: Stamps,
  agent: SimulatedAgent,
  index: number,
  options: MassOptions,
): Promise<LoneDrop> {
  const { sim } = stack;
  // Numbered apart from the mass's calls (1 to --calls).
  const [alone] = await connect(stack, [agent], 9_000_000 + index);
  if (alone === undefined) throw new Error('no lone call');
  const idleCpuPerS = await idleCpuRate(stack);
  const cpuBefore = await serverCpuS(stack);
  const aloneAt = Date.now();
  alone.agent.refresh({ comebackAfterMs: options.awayMs });
  const heard = await waitFor(() => heardAnnouncementAt(sim, alone.customerCallSid, aloneAt), {
    timeoutMs: 30_000,
    intervalMs: 20,
    description: 'the lone customer announced',
  });
  const ping = await waitFor(() => pingTasksSince(sim, aloneAt)[0] ?? null, {
    timeoutMs: 30_000,
    intervalMs: 20,
    description: 'the lone ping task',
  });
  const finals = new Map([
    [
      alone.conferenceSid,
      await waitFor(() => outcomeOf(store, alone.conferenceSid), {
        timeoutMs: 60_000,
        intervalMs: 50,
        description: 'the lone recovery final',
      }),
    ],
  ]);
  const cpuMs =
    ((await serverCpuS(stack)) - cpuBefore) * 1000 - (idleCpuPerS * (Date.now() - aloneAt)) / 1000;
  await stampFinals(store, finals, [alone.conferenceSid]);
  const final = finals.get(alone.conferenceSid) ?? { at: Number.NaN, outcome: '?' };
  // Measured from the server receiving the leave: what follows Twilio's callback lag.
  const leave = stamps.leavesSent().get(alone.workerCallSid) ?? aloneAt;
  return {
    leaveMs: leave - aloneAt,
    announcedMs: heard - leave,
    pingMs: ping - leave,
    finalMs: final.at - leave,
    decisionMs: stamps.decisionMs([alone])[0] ?? Number.NaN,
    outcome: final.outcome,
    cpuMs,
  };
}

async function measure(
  stack: Stack,
  store: RedisStore,
  options: MassOptions,
  latencyMs: number,
  progress: (message: string) => void,
): Promise<MassResult> {
  const { sim } = stack;
  const stamps = new Stamps(sim);
  const agents = Array.from({ length: options.calls + ALONE_DROPS }, (_, i) =>
    stack.agents.add({
      workerSid: sim.workspace.addWorker({ friendlyName: `Agent ${i}` }).sid,
      beaconOnUnload: false,
    }),
  );

  // Drops alone first, one after another: the same run's times without load. REST latency is
  // long-tailed (up to 1 s), so one lone drop can draw a tail for its announcement: the
  // baseline is the median of ALONE_DROPS.
  const lone: LoneDrop[] = [];
  for (let i = 0; i < ALONE_DROPS; i += 1) {
    progress(`mass: one call, dropped alone (the unloaded baseline, ${i + 1} of ${ALONE_DROPS})`);
    const agent = agents[i];
    if (agent === undefined) throw new Error('no lone agent');
    const drop = await dropAlone(stack, store, stamps, agent, i, options);
    progress(
      `mass: alone: leave received +${drop.leaveMs} ms; then announced +${drop.announcedMs} ms, ` +
        `ping task +${drop.pingMs} ms, final +${drop.finalMs} ms (${drop.outcome}), ` +
        `decision ${drop.decisionMs} ms, server CPU ${Math.round(drop.cpuMs)} ms`,
    );
    lone.push(drop);
  }
  const single = {
    announcedMs: median(lone.map((drop) => drop.announcedMs)),
    pingMs: median(lone.map((drop) => drop.pingMs)),
    finalMs: median(lone.map((drop) => drop.finalMs)),
    decisionMs: median(lone.map((drop) => drop.decisionMs)),
    cpuMs: median(lone.map((drop) => drop.cpuMs)),
  };

  const batch = 100;
  const calls: Connected[] = [];
  for (let first = 1; first <= options.calls; first += batch) {
    // After the lone drops' agents: call n is agent ALONE_DROPS - 1 + n.
    const group = agents.slice(
      ALONE_DROPS - 1 + first,
      ALONE_DROPS - 1 + Math.min(first + batch, options.calls + 1),
    );
    progress(`mass: connecting calls ${first}-${first + group.length - 1} of ${options.calls}`);
    calls.push(...(await connect(stack, group, first)));
  }
  // Every webhook answered and every effect of the set-up run before the clock starts.
  await waitFor(async () => sim.webhooks.pending === 0 && (await store.nextDueAt()) === null, {
    timeoutMs: 120_000,
    intervalMs: 200,
    description: 'the set-up settled',
  }).catch(() => progress('mass: timers still due after the set-up (live calls keep some)'));

  const dropped = calls.slice(0, options.drops);
  const cap = sim.faults.limitRestConcurrency(options.cap);
  const idleCpuPerS = await idleCpuRate(stack);
  progress(
    `mass: ${dropped.length} of ${calls.length} agents drop at once (cap ${options.cap}; ` +
      `the server idle before: ${idleCpuPerS.toFixed(0)} ms of CPU a second)`,
  );
  const cpuBefore = await serverCpuS(stack);
  const droppedAt = Date.now();
  for (const call of dropped) call.agent.refresh({ comebackAfterMs: options.awayMs });

  const heard = new Map<string, number>();
  const finals = new Map<string, Outcome>();
  let pings: number[] = [];
  const deadline = droppedAt + options.timeoutMs;
  let lastReport = 0;
  let rounds = 0;
  while (Date.now() < deadline && finals.size < dropped.length) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    for (const call of dropped) {
      if (heard.has(call.conferenceSid)) continue;
      const at = heardAnnouncementAt(sim, call.customerCallSid, droppedAt);
      if (at !== null) heard.set(call.conferenceSid, at);
    }
    pings = pingTasksSince(sim, droppedAt);
    // Every other round: a load per open recovery is the costliest poll, in the measured process.
    rounds += 1;
    if (rounds % 2 === 1) continue;
    const open = dropped.filter((call) => !finals.has(call.conferenceSid));
    const outcomes = await Promise.all(open.map((call) => outcomeOf(store, call.conferenceSid)));
    const fresh: string[] = [];
    open.forEach((call, i) => {
      const outcome = outcomes[i];
      if (outcome === null || outcome === undefined) return;
      finals.set(call.conferenceSid, outcome);
      fresh.push(call.conferenceSid);
    });
    // When each ended, not when the poll saw it: the listing keeps each commit's time.
    if (fresh.length > 0) await stampFinals(store, finals, fresh);
    if (Date.now() - lastReport >= 2_000) {
      lastReport = Date.now();
      progress(
        `mass: +${((Date.now() - droppedAt) / 1000).toFixed(1)} s: announced ${heard.size}, ` +
          `ping tasks ${pings.length}, final ${finals.size} of ${dropped.length}; ` +
          `429s ${cap.rejected}`,
      );
    }
  }
  cap.lift();
  // Until the last recovery was seen final: the server's work for all of them, less its idle
  // rate (as the lone drops' figure).
  const cpuPerRecoveryMs =
    (((await serverCpuS(stack)) - cpuBefore) * 1000 -
      (idleCpuPerS * (Date.now() - droppedAt)) / 1000) /
    dropped.length;

  const lastOf = (times: Iterable<number>) => Math.max(...times) - droppedAt;
  const announcedMs = heard.size === dropped.length ? lastOf(heard.values()) : Number.NaN;
  const pingsMs = pings.length >= dropped.length ? lastOf(pings) : Number.NaN;
  const finalMs =
    finals.size === dropped.length ? lastOf([...finals.values()].map((f) => f.at)) : Number.NaN;
  const lost =
    dropped.length - [...finals.values()].filter((f) => f.outcome === 'recovered').length;
  const outcomes = new Map<string, number>();
  for (const f of finals.values()) outcomes.set(f.outcome, (outcomes.get(f.outcome) ?? 0) + 1);

  // What the cap allows, or, if longer, what no cap sets: the last leave callback's lag
  // (Twilio's) and then the chain one drop alone took after its leave (latency, the page away,
  // rings, joins).
  const leaves = stamps.leavesSent();
  const lastLeaveMs =
    Math.max(...dropped.map((call) => leaves.get(call.workerCallSid) ?? droppedAt)) - droppedAt;
  const floorOf = (ms: number, aloneMs: number) => {
    if (Number.isNaN(ms)) return { name: 'floor: not reached', value: Number.NaN };
    const requests = answered(sim, droppedAt, droppedAt + ms);
    const capMs = (requests * latencyMs) / options.cap;
    return {
      name: `floor: max(${requests} requests x ${latencyMs} ms / ${options.cap}, last leave + alone)`,
      value: Math.max(capMs, lastLeaveMs + aloneMs),
    };
  };
  const announcedFloor = floorOf(announcedMs, single.announcedMs);
  const pingsFloor = floorOf(pingsMs, single.pingMs);
  const finalFloor = floorOf(finalMs, single.finalMs);
  const decision = stamps.decisionMs(dropped);
  const scale = `${dropped.length} of ${calls.length} calls`;
  const figures: MassFigure[] = [
    {
      name: `mass (${scale}): every customer hears the announcement`,
      value: announcedMs,
      unit: 'ms',
      baseline: announcedFloor.name,
      baselineValue: announcedFloor.value,
      kind: 'cost',
      goal: '<= 1.3x',
      command: COMMAND,
    },
    {
      name: `mass (${scale}): every Recovery Ping task exists`,
      value: pingsMs,
      unit: 'ms',
      baseline: pingsFloor.name,
      baselineValue: pingsFloor.value,
      kind: 'cost',
      goal: '<= 1.3x',
      command: COMMAND,
    },
    {
      name: `mass (${scale}): every recovery final (agents away ${options.awayMs} ms)`,
      value: finalMs,
      unit: 'ms',
      baseline: finalFloor.name,
      baselineValue: finalFloor.value,
      kind: 'cost',
      goal: '<= 1.3x',
      command: COMMAND,
    },
    {
      name: `mass (${scale}): 429s (cap ${options.cap})`,
      value: cap.rejected,
      unit: 'responses',
      baseline: 'REST requests answered',
      baselineValue: answered(sim, droppedAt, Date.now()),
      kind: 'cost',
      command: COMMAND,
    },
    {
      name: `mass (${scale}): lost recoveries`,
      value: lost,
      unit: 'recoveries',
      baseline: 'recoveries',
      baselineValue: dropped.length,
      kind: 'cost',
      goal: '0',
      command: COMMAND,
    },
    {
      name: `server CPU per recovery (${scale})`,
      value: cpuPerRecoveryMs,
      unit: 'ms',
      baseline: 'one drop alone',
      baselineValue: single.cpuMs,
      kind: 'cost',
      command: COMMAND,
    },
    {
      name: `decision latency p50 (${scale})`,
      value: percentile(decision, 50),
      unit: 'ms',
      baseline: 'one drop alone',
      baselineValue: single.decisionMs,
      kind: 'cost',
      command: COMMAND,
    },
    {
      name: `decision latency p99 (${scale})`,
      value: percentile(decision, 99),
      unit: 'ms',
      baseline: 'one drop alone',
      baselineValue: single.decisionMs,
      kind: 'cost',
      command: COMMAND,
    },
  ];
  const retries = await effectRetries(stack);
  const notes = [
    `mass: the server in its own process (main.ts, production loops, LOG_LEVEL=warn) on real Redis; the simulator and ${calls.length + ALONE_DROPS} simulated agents in the bench's.`,
    `mass: effects the server retried (lifeline_effect_retries_total, the lone drops included): ${retries}.`,
    `mass: ${calls.length} live calls, ${dropped.length} agents dropped at once (no beacon, page back after ${options.awayMs} ms), REST latency ${JSON.stringify(realisticAt(1).restLatencyMs)} ms, 429 above ${options.cap} concurrent requests, TWILIO_MAX_CONCURRENCY=${options.cap}, seed ${options.seed}.`,
    `mass: outcomes ${[...outcomes.entries()].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; not final after ${options.timeoutMs / 1000} s: ${dropped.length - finals.size}; decision latencies measured for ${decision.length} of ${dropped.length}.`,
    `mass: a floor is the longer of (a) the REST requests the simulator answered from the drop to that moment x the median REST latency / the cap: that much work at the cap with no wait, and (b) what no cap sets: the last agent leave sent to the server (+${lastLeaveMs} ms, Twilio's callback lag) and then what one drop alone in the same run took after its leave (announced +${single.announcedMs} ms, ping task +${single.pingMs} ms, final +${single.finalMs} ms: latency, the page away, rings, joins).`,
  ];
  return { figures, notes };
}
