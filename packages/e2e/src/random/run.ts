import { Random, waitFor } from '@lifeline/simulator';
import type { RecoveryView } from '../stack/lifeline-api.ts';
import { isSettled } from '../scenarios/steps.ts';
import type { Stack, StackOptions } from '../stack/stack.ts';
import { startStack } from '../stack/stack.ts';
import { singleRedis } from '../stack/redis-target.ts';
import { realisticAt } from '../stack/timing.ts';
import type { Violation } from './invariants.ts';
import { checkAfterEnd, checkLiveCall, checkRedials, checkRedisExpiry } from './invariants.ts';
import type { RunPlan, StoryName } from './plan.ts';
import { describePlan, drawPlan } from './plan.ts';
import type { StoryContext, StoryOutcome } from './stories.ts';
import { stories } from './stories.ts';

export interface RandomRunOptions {
  redisUrl: string;
  /** Real time is 1; the simulator's delays and the story's human delays are multiplied by it. */
  scale: number;
  /** Run only this story (the plan's faults are still drawn). */
  story?: StoryName;
}

export interface RunResult {
  plan: RunPlan;
  /** The time scale it ran at (part of what repeats it). */
  scale: number;
  /** 'pass': no violation; 'fail': at least one. */
  status: 'pass' | 'fail';
  violations: Violation[];
  durationMs: number;
  /** The run's log, the customer's timeline and the server's, for a failure message. */
  timeline: string[];
}

/** The recovery states that are neither final nor the call going on as usual. */
const settledStates = new Set(['tracking', 'connected']);

/**
 * Waits until nothing moves any more: no webhook in flight, every conference's recovery
 * final or back to following a live call with its effects run, the customer not queued, every
 * agent's page loaded. Seen twice in a row, a short while apart.
 */
async function quiet(
  stack: Stack,
  outcome: StoryOutcome,
  timeoutMs: number,
): Promise<string | null> {
  let last = '';
  let calm = 0;
  try {
    await waitFor(
      async () => {
        const states: string[] = [];
        let still = stack.sim.webhooks.pending > 0;
        for (const conference of stack.sim.world.conferences.all()) {
          const view: RecoveryView | null = await stack.api.conference(conference.sid);
          if (view === null) continue;
          states.push(`${conference.sid.slice(0, 8)}:${view.state}`);
          if (!(view.final || settledStates.has(view.state)) || !isSettled(view.timeline))
            still = true;
        }
        if (stack.sim.calls.get(outcome.customerCallSid).place.kind === 'queue') still = true;
        if (outcome.agents.some((agent) => !agent.isPresent)) still = true;
        if (stack.child !== null && !stack.child.running) still = true;
        last = states.join(' ');
        calm = still ? 0 : calm + 1;
        return calm >= 3;
      },
      { timeoutMs, intervalMs: 200, description: 'the run to settle' },
    );
    return null;
  } catch {
    return `did not settle within ${timeoutMs} ms (${last})`;
  }
}

async function timelineOf(
  stack: Stack,
  outcome: StoryOutcome | null,
  log: string[],
): Promise<string[]> {
  const lines = [...log];
  if (outcome === null) return lines;
  lines.push(
    'customer:',
    ...stack.sim
      .timeline(outcome.customerCallSid)
      .story()
      .map((l) => `  ${l}`),
  );
  for (const conference of stack.sim.world.conferences.all()) {
    const view = await stack.api.conference(conference.sid).catch(() => null);
    if (view === null) continue;
    lines.push(`server, ${conference.sid} (${view.state}):`);
    const t0 = view.timeline[0]?.at ?? 0;
    for (const entry of view.timeline) {
      const detail =
        entry.detail === undefined ? '' : ` ${JSON.stringify(entry.detail).slice(0, 120)}`;
      lines.push(
        `  +${entry.at - t0}ms ${entry.kind} ${entry.name}${entry.state === undefined ? '' : ` [${entry.state}]`}${detail}`,
      );
    }
  }
  return lines;
}

/** Calls the server reports as failed (a party it could not bring back), in its timelines or recoveries. */
async function failedParties(stack: Stack, outcome: StoryOutcome): Promise<Set<string>> {
  const failed = new Set<string>();
  for (const conference of stack.sim.world.conferences.all()) {
    const view = await stack.api.conference(conference.sid);
    for (const party of Object.values(view?.snapshot.context.recovery?.parties ?? {}))
      if (party.status === 'failed' || party.status === 'left-out') failed.add(party.callSid);
    for (const entry of view?.timeline ?? []) {
      const text = JSON.stringify(entry);
      if (!/fail/i.test(text)) continue;
      for (const party of outcome.parties)
        if (text.includes(party.callSid)) failed.add(party.callSid);
    }
  }
  return failed;
}

/** A stack, tried twice: a start that times out on a loaded machine is not the run's failure. */
async function startWithRetry(options: StackOptions): Promise<Stack> {
  try {
    return await startStack(options);
  } catch {
    return startStack(options);
  }
}

/** One randomized run: draws the plan from `seed`, runs its story on a fresh stack, checks the invariants. */
export async function randomRun(seed: number, options: RandomRunOptions): Promise<RunResult> {
  const random = new Random(seed);
  const plan = drawPlan(seed, random.stream('plan'), options.story);
  const started = Date.now();
  const log: string[] = [describePlan(plan)];
  const stack = await startWithRetry({
    redisUrl: options.redisUrl,
    server: plan.server,
    seed,
    timing: realisticAt(options.scale),
    webhookOrdering: plan.faults.concurrentWebhooks ? 'concurrent' : 'in-order',
    // The escalation story waits out the ping: a short TTL keeps the run short.
    pingTimeoutS: plan.story === 'escalation' ? 3 : 8,
    reconnectTimeoutS: 20,
  });
  const violations: Violation[] = [];
  let outcome: StoryOutcome | null = null;
  let restart: Promise<void> = Promise.resolve();
  try {
    const at = () => `+${Date.now() - started}ms`;
    const context: StoryContext = {
      stack,
      rng: random.stream('story'),
      scale: options.scale,
      note: (text) => log.push(`${at()} ${text}`),
      armFaults: () => {
        const { faults } = stack.sim;
        for (const e of plan.faults.restErrors)
          faults.restErrors(e.status, e.count, { operationId: e.operationId });
        if (plan.faults.duplicates > 0) faults.duplicateWebhooks(plan.faults.duplicates, 'any');
        for (const r of plan.faults.reorders) faults.reorderWebhooks(r.count, r.scope);
      },
      disrupted: () => {
        const after = plan.faults.sigkillAfterMs;
        const child = stack.child;
        if (after === null || child === null) return;
        restart = (async () => {
          await stack.sim.clock.sleep(after);
          log.push(`${at()} the server is SIGKILLed`);
          await child.kill('SIGKILL');
          await child.start();
          log.push(`${at()} the server is back`);
        })();
        // Awaited only after the story: a failed restart meanwhile is this run's failure,
        // not an unhandled rejection that ends every run of the process.
        restart.catch(() => undefined);
      },
      serverBack: () => restart,
    };
    outcome = await stories[plan.story](context);
    await restart;
    const settleMs = 60_000 + 30_000 * options.scale;
    const unsettled = await quiet(stack, outcome, settleMs);
    if (unsettled !== null) violations.push({ invariant: 'settles', detail: unsettled });
    violations.push(...checkLiveCall(stack, outcome, await failedParties(stack, outcome)));
    violations.push(...(await checkRedials(stack)));

    // The end of the call: the customer hangs up (if nobody ended it yet), everything settles.
    if (stack.sim.calls.get(outcome.customerCallSid).place.kind !== 'ended') {
      log.push(`${at()} the customer hangs up at the end`);
      stack.sim.calls.hangup(outcome.customerCallSid);
      outcome = { ...outcome, customerHungUp: true };
    }
    const unended = await quiet(stack, outcome, settleMs);
    if (unended !== null)
      violations.push({ invariant: 'settles', detail: `after the end: ${unended}` });
    violations.push(...(await checkAfterEnd(stack, outcome)));
    violations.push(
      ...(await checkRedisExpiry(singleRedis(options.redisUrl), stack.redisKeyPrefix)),
    );
  } catch (error) {
    violations.push({
      invariant: 'settles',
      detail: `the story failed: ${(error as Error).message}`,
    });
  }
  const timeline = violations.length === 0 ? [] : await timelineOf(stack, outcome, log);
  if (stack.sim.world.listenerErrors.length > 0)
    violations.push({
      invariant: 'settles',
      detail: `simulator listener error: ${String(stack.sim.world.listenerErrors[0])}`,
    });
  await stack.close();
  const status = violations.length === 0 ? 'pass' : 'fail';
  return {
    plan,
    scale: options.scale,
    status,
    violations,
    durationMs: Date.now() - started,
    timeline,
  };
}

/** A failure report: the seed (to repeat it), the violations and the call's timeline. */
export function describeResult(result: RunResult): string {
  return [
    `${result.status.toUpperCase()} ${describePlan(result.plan)} in ${result.durationMs} ms`,
    `repeat: pnpm e2e:random --seed ${result.plan.seed} --runs 1 --scale ${result.scale}`,
    ...result.violations.map((v) => `  ${v.invariant}: ${v.detail}`),
    ...result.timeline.map((l) => `    ${l}`),
  ].join('\n');
}

/** Runs `seeds` with at most `concurrency` at once, reporting each result as it comes. */
export async function randomRuns(
  seeds: number[],
  options: RandomRunOptions & { concurrency: number; onResult?: (result: RunResult) => void },
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < seeds.length) {
      const seed = seeds[next++];
      if (seed === undefined) return;
      const result = await randomRun(seed, options);
      results.push(result);
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return results.sort((a, b) => a.plan.seed - b.plan.seed);
}
