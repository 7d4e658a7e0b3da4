import type { CustomerCall } from '@lifeline/simulator';
import { Rng, waitFor } from '@lifeline/simulator';
import type { SimulatedAgent } from '../agents/agent.ts';
import { addAgent, isSettled } from '../scenarios/steps.ts';
import type { OpenTask } from '../stack/left-behind.ts';
import { keysWithoutExpiry, openLifelineTasks } from '../stack/left-behind.ts';
import type { ListedConference, RecoveryView } from '../stack/lifeline-api.ts';
import { effectResult } from '../stack/lifeline-api.ts';
import { withRedis } from '../stack/redis-target.ts';
import type { Stack } from '../stack/stack.ts';
import type { EffectCheck } from './effects-once.ts';
import { checkEffectsOnce } from './effects-once.ts';

/**
 * What happens to one call. Every story drops the agent's leg (a page reload) and names the
 * recovery's expected end:
 * - `refresh`: the page comes back (with its unload beacon) → `recovered`, same agent;
 * - `crash`: as refresh, without the beacon (the leg's leave tells) → `recovered`, same agent;
 * - `escalation`: the page never comes back → `handledByAnotherAgent`, a spare agent;
 * - `hangup`: the customer hangs up while the agent is away → `abandoned`.
 */
export type ScaleStory = 'refresh' | 'crash' | 'escalation' | 'hangup';
const storyOrder: readonly ScaleStory[] = ['refresh', 'crash', 'escalation', 'hangup'];
const expectedEnd: Record<ScaleStory, string> = {
  refresh: 'recovered',
  crash: 'recovered',
  escalation: 'handledByAnotherAgent',
  hangup: 'abandoned',
};

export interface ScaleOutOptions {
  /** Concurrent calls, each dropped once. */
  conferences: number;
  /** Seeds the stories, the moments of the drops and the page reloads. */
  seed: number;
  /**
   * The drops are spread over this long (default DROP_MS_PER_CALL a call, at least 2 s: 25
   * drops a second, hundreds of recoveries in flight at once). All within 2 s, 500 of them
   * saturate this 2-core machine for over a minute (three instances, the simulator and 500
   * simulated browsers share it), and reloads that came back in time escalate because their
   * ping's acceptance is processed after the ping timeout: the burst's cost is what
   * `pnpm bench mass` measures, this run shows what three instances do with the calls.
   */
  dropWindowMs?: number;
  /** The customers call in over this long (default 50 ms a call), as a morning's calls would. */
  callInWindowMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface ScaleOutReport {
  conferences: number;
  stories: Record<ScaleStory, number>;
  /** Wall time of each phase, ms. */
  phases: { connect: number; recover: number; end: number; total: number };
  /** Recoveries that did not reach their expected end (or the customer is not where it says). */
  unexpected: string[];
  /** What the ledger and Twilio's request log say of effects running twice or never. */
  effects: EffectCheck;
  /** Redis keys under the stack's prefix at the end, on every master. */
  keys: number;
  /** Of those, keys that would never expire (none may). */
  keysWithoutExpiry: string[];
  openTasks: OpenTask[];
  /** Requests each instance took through the proxy. */
  perInstance: number[];
  /** REST answers with 429 (the servers retry them). */
  rest429: number;
  /** Conferences the servers stored (the originals and the re-dials' new ones). */
  stored: number;
  /** The plugins' registrations of their calls with the server (the agents' logs). */
  registrations: { registered: number; failed: number };
  /**
   * Webhook deliveries by kind: answered 2xx, or not (by status, `rt`/`ct` for a timeout or
   * a refused connection). A participant-leave not answered is a drop the server never heard.
   */
  webhooks: Record<string, { ok: number; failed: Record<string, number> }>;
}

interface Plan {
  story: ScaleStory;
  agent: SimulatedAgent;
  /** Set once the agent took a customer. */
  conferenceSid: string;
  customerCallSid: string;
  taskSid: string;
  hungUp: boolean;
}

const sleep = (stack: Stack, ms: number) => stack.sim.clock.sleep(ms);

/** The default drop window's length a call (see ScaleOutOptions.dropWindowMs). */
const DROP_MS_PER_CALL = 40;

/**
 * Issue 12 item 5: `conferences` concurrent calls on the stack's instances, each with a drop,
 * recovered (or not) as its story says; then every customer hangs up. Returns what the test
 * asserts: every recovery's end, effects run once, every key expiring, nothing left open.
 */
export async function runScaleOut(stack: Stack, options: ScaleOutOptions): Promise<ScaleOutReport> {
  const log = options.log ?? (() => undefined);
  const rng = new Rng(options.seed);
  const n = options.conferences;
  const started = Date.now();

  // One agent a call, each with its story (a crash is an agent whose page sends no beacon).
  const plans: Plan[] = [];
  for (let i = 0; i < n; i += 1) {
    const story = storyOrder[(i + options.seed) % storyOrder.length] ?? 'refresh';
    const agent = addAgent(stack, `Agent ${i}`, { beaconOnUnload: story !== 'crash' });
    plans.push({
      story,
      agent,
      conferenceSid: '',
      customerCallSid: '',
      taskSid: '',
      hungUp: false,
    });
  }
  const customers = new Map<string, CustomerCall>();
  const callInWindowMs = options.callInWindowMs ?? n * 50;
  const callInGapMs = callInWindowMs / n;
  for (let i = 0; i < n; i += 1) {
    if (i > 0) await sleep(stack, callInGapMs);
    const from = `+1555${String(1_000_000 + i).slice(1)}`;
    const customer = stack.sim.calls.inbound({
      from,
      workflowSid: stack.setup.voiceWorkflowSid,
      attributes: { from, direction: 'inbound', conversations: { communication_channel: 'voice' } },
    });
    customers.set(customer.callSid, customer);
  }
  const budget = (base: number) => base + n * 100;
  // Connected is enough: the server learns a call from its conference's first callback, with
  // or without the plugin's registration (which the report counts).
  await waitFor(() => plans.every((plan) => plan.agent.currentCall?.conferenceSid != null), {
    timeoutMs: budget(30_000),
    intervalMs: 200,
  }).catch(() => {
    const connected = plans.filter((plan) => plan.agent.currentCall?.conferenceSid != null);
    throw new Error(
      `${connected.length} of ${n} calls connected after ${Date.now() - started} ms; ` +
        `${registrations(plans).failed} registrations failed`,
    );
  });
  for (const plan of plans) {
    const call = plan.agent.currentCall;
    if (call === null) throw new Error(`${plan.agent.name} lost the call`);
    plan.conferenceSid = call.conferenceSid ?? '';
    plan.customerCallSid = call.customerCallSid ?? '';
    plan.taskSid = call.taskSid;
  }
  await allSteady(stack, plans, budget(20_000));
  const connectedAt = Date.now();
  log(`${n} calls connected in ${connectedAt - started} ms (${callInWindowMs} ms of call-ins)`);

  // Spare agents log in for the escalations: only escalated customers can reach them now.
  const escalations = plans.filter((plan) => plan.story === 'escalation').length;
  for (let i = 0; i < escalations; i += 1) addAgent(stack, `Spare ${i}`);

  const dropWindowMs = options.dropWindowMs ?? Math.max(2000, n * DROP_MS_PER_CALL);
  for (const plan of plans) {
    const at = Math.round(rng.between(0, dropWindowMs));
    // A reload takes 1-3 s; the escalated and the hung-up agent's pages stay away.
    const away = plan.story === 'refresh' || plan.story === 'crash';
    const comebackAfterMs = away ? Math.round(rng.between(1000, 3000)) : null;
    stack.sim.clock.after(at, () => plan.agent.refresh({ comebackAfterMs }));
  }

  // The hang-ups come once the recovery holds the customer (its first step), so each is a
  // hang-up mid-recovery. Seen on Twilio's side: a poll of the servers' listing, hundreds of
  // rows every half second on a loaded machine, missed short-lived states.
  const byConference = new Map(plans.map((plan) => [plan.conferenceSid, plan]));
  const byCustomer = new Map(plans.map((plan) => [plan.customerCallSid, plan]));
  stack.sim.world.events.on('conference', (event) => {
    if (event.name !== 'participant-hold' || event.participant === null) return;
    const plan = byCustomer.get(event.participant.callSid);
    if (plan?.story !== 'hangup' || plan.hungUp || event.conferenceSid !== plan.conferenceSid)
      return;
    plan.hungUp = true;
    const customer = customers.get(plan.customerCallSid);
    stack.sim.clock.after(Math.round(rng.between(0, 1000)), () => {
      customer?.hangup();
      // The page loads again once its customer is gone.
      stack.sim.clock.after(1000, () => plan.agent.comeBack());
    });
  });
  await waitFor(
    async () => {
      const listed = await stack.api.listConferences();
      return plans.every((plan) => originalsFinal(listed, plan));
    },
    {
      timeoutMs: budget(60_000 + stack.pingTimeoutS * 2000),
      intervalMs: 500,
      description: 'every recovery final',
    },
  ).catch((error: unknown) => log(`not every recovery ended: ${(error as Error).message}`));
  const unexpected = await expectedEnds(stack, plans, budget(20_000));
  const recoveredAt = Date.now();
  log(`recoveries ended in ${recoveredAt - connectedAt} ms (${unexpected.length} unexpected)`);
  // Why, for the first few: their timelines and their agents' logs.
  for (const problem of unexpected.slice(0, 3)) {
    const plan = plans.find((p) => problem.includes(p.conferenceSid));
    if (plan !== undefined) log(`${problem}\n${await story(stack, plan, plan.conferenceSid, 40)}`);
  }

  // The end: every customer still on a call hangs up; every conference must end final.
  for (const customer of customers.values()) {
    const record = customer.record();
    if (stack.sim.world.calls.isLive(record)) customer.hangup();
  }
  await waitFor(
    async () =>
      stack.sim.webhooks.pending === 0 &&
      (await stack.api.listConferences({ live: true })).length === 0,
    { timeoutMs: budget(30_000), intervalMs: 500, description: 'every conference final' },
  ).catch((error: unknown) => unexpected.push((error as Error).message));
  const listed = await stack.api.listConferences();
  const views = await settledViews(stack, listed, budget(20_000), unexpected);
  for (const row of listed) {
    if (!row.final) unexpected.push(`${row.conferenceSid} is still ${row.state} after the end`);
  }
  const endedAt = Date.now();
  log(`every call ended and settled in ${endedAt - recoveredAt} ms`);

  const openTasks = await waitFor(
    async () => {
      const open = await openLifelineTasks(stack);
      return open.length === 0 ? open : null;
    },
    // A ping accepted as its recovery ended is completed by the server a moment later.
    { timeoutMs: 10_000, intervalMs: 250, description: 'no Lifeline task left open' },
  ).catch(() => openLifelineTasks(stack));
  for (const task of openTasks) log(await describeOpenTask(stack, task, byConference));

  const perInstance = (await stack.proxy?.perBackend()) ?? [];
  return {
    conferences: n,
    stories: Object.fromEntries(
      storyOrder.map((story) => [story, plans.filter((p) => p.story === story).length]),
    ) as Record<ScaleStory, number>,
    phases: {
      connect: connectedAt - started,
      recover: recoveredAt - connectedAt,
      end: endedAt - recoveredAt,
      total: endedAt - started,
    },
    unexpected,
    effects: checkEffectsOnce(stack.sim.requests.records, views),
    keys:
      stack.redis === null
        ? 0
        : await withRedis(
            stack.redis,
            async ({ keys }) => (await keys(stack.redisKeyPrefix)).length,
          ),
    keysWithoutExpiry:
      stack.redis === null ? [] : await keysWithoutExpiry(stack.redis, stack.redisKeyPrefix),
    openTasks,
    perInstance,
    rest429: stack.sim.requests.records.filter((r) => r.status === 429).length,
    webhooks: webhookTally(stack),
    stored: listed.length,
    registrations: registrations(plans),
  };
}

function webhookTally(stack: Stack): ScaleOutReport['webhooks'] {
  const tally: ScaleOutReport['webhooks'] = {};
  for (const attempt of stack.sim.webhooks.attempts) {
    const event = attempt.params?.['StatusCallbackEvent'];
    const kind = event === undefined ? attempt.kind : `${attempt.kind} ${event}`;
    const row = (tally[kind] ??= { ok: 0, failed: {} });
    if (attempt.ok) row.ok += 1;
    else {
      const why = attempt.status === null ? (attempt.error ?? 'no answer') : String(attempt.status);
      row.failed[why] = (row.failed[why] ?? 0) + 1;
    }
  }
  return tally;
}

function originalsFinal(listed: ListedConference[], plan: Plan): boolean {
  return listed.some((row) => row.conferenceSid === plan.conferenceSid && row.final);
}

/**
 * Every call as Lifeline keeps it before a drop (see `steady` in the scenario steps): no
 * webhook in flight, the server knows each conference, and no agent's leg keeps Flex's
 * endConferenceOnExit (the server undid it), so a drop is a drop and not an ended call.
 */
async function allSteady(stack: Stack, plans: Plan[], timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      if (stack.sim.webhooks.pending > 0) return false;
      const known = new Set(
        (await stack.api.listConferences())
          .filter((row) => row.state === 'connected')
          .map((row) => row.conferenceSid),
      );
      return plans.every((plan) => {
        const conference = stack.sim.world.conferences.get(plan.conferenceSid);
        if (conference === undefined || !known.has(plan.conferenceSid)) return false;
        return stack.sim.world.conferences
          .connected(conference)
          .every((p) => !p.endConferenceOnExit || p.callSid === plan.customerCallSid);
      });
    },
    { timeoutMs, intervalMs: 250, description: 'every call steady' },
  );
}

/** Each recovery's end against its story, and where the customer is on Twilio's side. */
async function expectedEnds(stack: Stack, plans: Plan[], timeoutMs: number): Promise<string[]> {
  const wrong = (listed: ListedConference[]) => {
    const state = new Map(listed.map((row) => [row.conferenceSid, row]));
    const problems: string[] = [];
    for (const plan of plans) {
      const row = state.get(plan.conferenceSid);
      const expected = expectedEnd[plan.story];
      const what = `${plan.story} ${plan.conferenceSid} (${plan.agent.name})`;
      if (row === undefined || row.state !== expected) {
        problems.push(`${what}: ${row?.state ?? 'unknown'}, expected ${expected}`);
        continue;
      }
      if (expected === 'abandoned') continue;
      // Whoever took the customer back is on a new call with them.
      const agent = stack.agents
        .all()
        .find((a) => a.currentCall?.customerCallSid === plan.customerCallSid);
      const call = agent?.currentCall ?? null;
      if (agent === undefined || call === null || call.taskSid === plan.taskSid)
        problems.push(`${what}: the customer is not back on a new call`);
      else if ((agent === plan.agent) !== (plan.story !== 'escalation'))
        problems.push(`${what}: the customer is with ${agent.name}`);
    }
    return problems;
  };
  let problems: string[] = [];
  await waitFor(
    async () => {
      problems = wrong(await stack.api.listConferences());
      return problems.length === 0;
    },
    { timeoutMs, intervalMs: 500 },
  ).catch(() => undefined);
  return problems;
}

/** The admin view of every stored conference once its effects have all run. */
async function settledViews(
  stack: Stack,
  listed: ListedConference[],
  timeoutMs: number,
  problems: string[],
): Promise<RecoveryView[]> {
  const views = new Map<string, RecoveryView>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = listed.filter((row) => !views.has(row.conferenceSid));
    for (let i = 0; i < missing.length; i += 20) {
      await Promise.all(
        missing.slice(i, i + 20).map(async (row) => {
          const view = await stack.api.conference(row.conferenceSid);
          if (view !== null && isSettled(view.timeline)) views.set(row.conferenceSid, view);
        }),
      );
    }
    const left = listed.filter((row) => !views.has(row.conferenceSid));
    if (left.length === 0) return [...views.values()];
    if (Date.now() > deadline) {
      for (const row of left) {
        const view = await stack.api.conference(row.conferenceSid);
        problems.push(
          `${row.conferenceSid} (${row.state}): effects still pending: ${pending(view)}`,
        );
      }
      return [...views.values()];
    }
    await sleep(stack, 500);
  }
}

/** The effects of a conference without a final result, each with its last result if any. */
function pending(view: RecoveryView | null): string {
  if (view === null) return 'the conference is gone';
  const open = new Map<string, string>();
  const done = new Set<string>();
  for (const entry of view.timeline) {
    const key = (entry.detail as { key?: unknown } | undefined)?.key;
    // A key asked again after its result is not enqueued again (see isSettled).
    if (entry.kind === 'effect' && typeof key === 'string' && !done.has(key))
      open.set(key, `${entry.name} enqueued`);
    const result = effectResult(entry);
    if (result === null) continue;
    if (result.result.startsWith('retry in')) {
      open.set(result.key, `${entry.name}: ${result.result}`);
    } else {
      open.delete(result.key);
      done.add(result.key);
    }
  }
  return [...open.values()].join('; ');
}

/** An open task with its story, its recovery's state and the end of its timeline, for the log. */
async function describeOpenTask(
  stack: Stack,
  task: OpenTask,
  byConference: Map<string, Plan>,
): Promise<string> {
  const attributes = stack.sim.world.taskrouter.tasks.get(task.taskSid)?.attributes ?? '';
  const conferenceSid = /"conferenceSid":"(CF[0-9a-f]+)"/.exec(attributes)?.[1] ?? '';
  const plan = byConference.get(conferenceSid);
  return [
    `open ${task.kind} task ${task.taskSid} (${task.assignmentStatus}) of ${plan?.story ?? '?'}:`,
    await story(stack, plan, conferenceSid, 20),
  ].join('\n');
}

/** A conference as the server tells it (its last `entries` timeline entries), and its agent's log. */
async function story(
  stack: Stack,
  plan: Plan | undefined,
  conferenceSid: string,
  entries: number,
): Promise<string> {
  const view = conferenceSid === '' ? null : await stack.api.conference(conferenceSid);
  const timeline = view?.timeline ?? [];
  // Times from the conference's first entry (the agent's log is on the same clock).
  const since = (at: number) => `+${at - (timeline[0]?.at ?? at)}ms`;
  const lines = timeline
    .slice(-entries)
    .map(
      (e) =>
        `  ${since(e.at)} ${e.kind} ${e.name} ${e.state ?? ''} ${JSON.stringify(e.detail ?? '')}`,
    );
  const agent = (plan?.agent.log ?? [])
    .slice(-10)
    .map((entry) => `  agent ${since(entry.at)}: ${entry.text}`);
  return [`${conferenceSid} (${view?.state ?? '?'}):`, ...lines, ...agent].join('\n');
}

/** What the agents' plugins logged of registering their calls with the server. */
function registrations(plans: Plan[]): { registered: number; failed: number } {
  const texts = plans.flatMap((plan) => plan.agent.log.map((entry) => entry.text));
  return {
    registered: texts.filter((text) => text === 'registered with the server').length,
    failed: texts.filter((text) => text === 'registration with the server failed').length,
  };
}
