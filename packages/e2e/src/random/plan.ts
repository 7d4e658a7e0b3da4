import type { Rng } from '@lifeline/simulator';
import type { ServerMode } from '../stack/stack.ts';

/** The stories a random run draws from (issue 9, "Randomized runs"). */
export const storyNames = [
  'refresh',
  'crash-without-beacon',
  'escalation',
  'customer-hangs-up',
  'three-party',
  'warm-transfer',
  'cold-transfer',
  'second-refresh',
  'redial-second-refresh',
  'muted-supervisor',
  'never-drops',
] as const;
export type StoryName = (typeof storyNames)[number];

/** Stories in which an agent's leg drops and Lifeline has something to recover. */
export const dropStories: ReadonlySet<StoryName> = new Set([
  'refresh',
  'crash-without-beacon',
  'escalation',
  'three-party',
  'warm-transfer',
  'second-refresh',
  'redial-second-refresh',
  'muted-supervisor',
]);

/** The REST mutations the server's effects make: where 429s and 5xx hurt. */
const mutations = [
  'CreateTask',
  'UpdateCall',
  'UpdateConference',
  'UpdateParticipant',
  'CreateParticipant',
  'UpdateTask',
  'UpdateTaskReservation',
] as const;

export interface RestErrorFault {
  status: 429 | 500 | 503;
  count: number;
  operationId: (typeof mutations)[number];
}

/** What goes wrong in a run, drawn from its seed. */
export interface FaultPlan {
  restErrors: RestErrorFault[];
  /** The next N webhooks (any kind) are delivered twice. */
  duplicates: number;
  /** Groups of webhooks held and sent in reverse. */
  reorders: { count: number; scope: 'conference' | 'event-streams' }[];
  /** Voice callbacks of a conference may overtake one another. */
  concurrentWebhooks: boolean;
  /** The server process is SIGKILLed this long after the disruption, then restarted. */
  sigkillAfterMs: number | null;
}

export interface RunPlan {
  seed: number;
  story: StoryName;
  server: ServerMode;
  faults: FaultPlan;
}

/**
 * Draws a run from its seed: the story first, then its faults (its timings are drawn by the
 * simulator and the story from streams of the same seed). The same seed, the same plan.
 */
export function drawPlan(seed: number, rng: Rng, only?: StoryName): RunPlan {
  const story = only ?? rng.pick(storyNames);
  const restErrors: RestErrorFault[] = [];
  const errorRules = rng.pick([0, 0, 1, 1, 2, 3]);
  for (let i = 0; i < errorRules; i++) {
    restErrors.push({
      status: rng.pick([429, 429, 500, 503] as const),
      count: rng.int(1, 3),
      operationId: rng.pick(mutations),
    });
  }
  const reorders: FaultPlan['reorders'] = [];
  if (rng.chance(0.3)) reorders.push({ count: rng.int(2, 3), scope: 'conference' });
  if (rng.chance(0.3)) reorders.push({ count: 2, scope: 'event-streams' });
  // A SIGKILL needs the server in a process of its own, and a recovery to interrupt.
  const sigkill = dropStories.has(story) && rng.chance(0.15);
  return {
    seed,
    story,
    server: sigkill ? 'child' : 'in-process',
    faults: {
      restErrors,
      duplicates: rng.chance(0.4) ? rng.int(1, 20) : 0,
      reorders,
      concurrentWebhooks: rng.chance(0.3),
      sigkillAfterMs: sigkill ? rng.int(0, 4000) : null,
    },
  };
}

export function describePlan(plan: RunPlan): string {
  const f = plan.faults;
  const faults = [
    ...f.restErrors.map((e) => `${e.count}x${e.status} on ${e.operationId}`),
    ...(f.duplicates > 0 ? [`${f.duplicates} duplicated webhooks`] : []),
    ...f.reorders.map((r) => `${r.count} ${r.scope} webhooks reordered`),
    ...(f.concurrentWebhooks ? ['concurrent voice callbacks'] : []),
    ...(f.sigkillAfterMs === null ? [] : [`SIGKILL ${f.sigkillAfterMs} ms after the drop`]),
  ];
  return `seed ${plan.seed}: ${plan.story} (${plan.server}); faults: ${faults.length === 0 ? 'none' : faults.join(', ')}`;
}
