import { keysWithoutExpiry } from '../stack/left-behind.ts';
import type { StackRedis } from '../stack/redis-target.ts';
import type { Stack } from '../stack/stack.ts';
import type { StoryOutcome } from './stories.ts';

/** The invariants a random run checks (issue 9, "Invariants checked after each run"). */
export type InvariantName =
  | 'customer-call-kept'
  | 'parties-back'
  | 'nobody-alone'
  | 'lifeline-tasks-closed'
  | 'recoveries-final'
  | 'native-parity'
  | 'redis-keys-expire'
  | 'settles';

export interface Violation {
  invariant: InvariantName;
  detail: string;
}

/** Lifeline's own tasks carry `lifeline: {conferenceSid, recoveryId, kind}` in their attributes. */
export function lifelineTasks(stack: Stack) {
  return stack.sim.world.taskrouter.tasks.all().filter((task) => {
    try {
      const attributes = JSON.parse(task.attributes) as { lifeline?: unknown };
      return typeof attributes.lifeline === 'object' && attributes.lifeline !== null;
    } catch {
      return false;
    }
  });
}

const isAgent = (stack: Stack, callSid: string) =>
  stack.sim.calls.get(callSid).party.kind === 'agent';

/**
 * While the call goes on, after the story settled: the customer's call was not ended by
 * anyone but the story, the customer is with an agent and every other party, muted ones still
 * muted (or the server reported the party failed), and no conference holds a lone party.
 */
export function checkLiveCall(
  stack: Stack,
  outcome: StoryOutcome,
  failedParties: Set<string>,
): Violation[] {
  const violations: Violation[] = [];
  const customer = stack.sim.calls.get(outcome.customerCallSid);
  const ended = customer.place.kind === 'ended';
  if (ended && !outcome.customerHungUp && !outcome.agentEndedCall)
    violations.push({
      invariant: 'customer-call-kept',
      detail: `the customer's call ended (${customer.status}) though the customer did not hang up`,
    });
  if (!ended) {
    if (customer.place.kind !== 'conference') {
      violations.push({
        invariant: 'parties-back',
        detail: `the customer is not in a conference but ${customer.place.kind}`,
      });
    } else {
      const conference = stack.sim.world.conferences.get(customer.place.conferenceSid);
      const connected =
        conference === undefined ? [] : stack.sim.world.conferences.connected(conference);
      if (!connected.some((p) => isAgent(stack, p.callSid)))
        violations.push({
          invariant: 'parties-back',
          detail: `no agent with the customer in ${customer.place.conferenceSid}`,
        });
      for (const party of outcome.parties) {
        const there = connected.find((p) => p.callSid === party.callSid);
        if (there === undefined && !failedParties.has(party.callSid))
          violations.push({
            invariant: 'parties-back',
            detail: `the ${party.label} (${party.callSid}) is neither with the customer nor reported failed`,
          });
        if (there !== undefined && party.muted && !there.muted)
          violations.push({
            invariant: 'parties-back',
            detail: `the ${party.label} was muted and is audible in the new conference`,
          });
      }
    }
  }
  // Once the customer hung up, who is left where is the end-of-call check's business.
  if (!ended) violations.push(...checkNobodyAlone(stack));
  for (const task of lifelineTasks(stack)) {
    if (task.assignmentStatus === 'pending' || task.assignmentStatus === 'reserved')
      violations.push({
        invariant: 'lifeline-tasks-closed',
        detail: `Lifeline's task ${task.sid} is ${task.assignmentStatus} (${task.attributes})`,
      });
  }
  return violations;
}

/**
 * After a re-dial: its recovery finished, and every party it was to bring is settled (seen
 * joining the new conference, reported failed, gone or left out), none still expected.
 */
export async function checkRedials(stack: Stack): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const conference of stack.sim.world.conferences.all()) {
    const view = await stack.api.conference(conference.sid);
    const recovery = view?.snapshot.context.recovery;
    if (view === null || recovery === null || recovery === undefined) continue;
    if (recovery.newConferenceName === null) continue;
    if (view.state === 'redialing' || view.state === 'locating')
      violations.push({
        invariant: 'parties-back',
        detail: `the re-dial of ${conference.sid} into ${recovery.newConferenceName} never finished`,
      });
    for (const party of Object.values(recovery.parties))
      if (party.status === 'waiting' || party.status === 'moving')
        violations.push({
          invariant: 'parties-back',
          detail: `${party.label ?? 'a party'} (${party.callSid}) of ${conference.sid} is still ${party.status}`,
        });
  }
  return violations;
}

/** No live conference holds exactly one connected party. */
export function checkNobodyAlone(stack: Stack): Violation[] {
  const { conferences } = stack.sim.world;
  return conferences.all().flatMap((conference) => {
    if (conference.status === 'completed') return [];
    const connected = conferences.connected(conference);
    if (connected.length !== 1) return [];
    const alone = connected[0];
    if (alone === undefined) return [];
    const party = stack.sim.calls.get(alone.callSid).party;
    return [
      {
        invariant: 'nobody-alone' as const,
        detail: `${party.kind === 'agent' ? `agent ${party.workerName}` : party.kind} (${alone.callSid}) alone in ${conference.sid}`,
      },
    ];
  });
}

/** After the call ended: no Lifeline task left open, every recovery final, no conference still live. */
export async function checkAfterEnd(stack: Stack, outcome: StoryOutcome): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const conference of stack.sim.world.conferences.all()) {
    if (
      conference.status !== 'completed' &&
      stack.sim.world.conferences.connected(conference).length > 0
    )
      violations.push({
        invariant: 'nobody-alone',
        detail: `conference ${conference.sid} still live with ${stack.sim.world.conferences.connected(conference).length} parties after the customer left`,
      });
    const view = await stack.api.conference(conference.sid);
    if (view !== null && !view.final)
      violations.push({
        invariant: 'recoveries-final',
        detail: `${conference.sid} is ${view.state} after the call ended`,
      });
  }
  for (const task of lifelineTasks(stack)) {
    if (['pending', 'reserved', 'assigned'].includes(task.assignmentStatus))
      violations.push({
        invariant: 'lifeline-tasks-closed',
        detail: `Lifeline's task ${task.sid} is ${task.assignmentStatus} after the call ended`,
      });
  }
  if (!outcome.dropped) violations.push(...checkNativeParity(stack, outcome));
  return violations;
}

/**
 * A call that never dropped ends as it would without Lifeline: Lifeline created no task, the
 * customer heard no announcement, and whoever hung up (customer or agent) ended the conference.
 */
function checkNativeParity(stack: Stack, outcome: StoryOutcome): Violation[] {
  const violations: Violation[] = [];
  const created = lifelineTasks(stack);
  if (created.length > 0)
    violations.push({
      invariant: 'native-parity',
      detail: `Lifeline created ${created.length} task(s) on a call that never dropped`,
    });
  const timeline = stack.sim.timeline(outcome.customerCallSid);
  if (timeline.segments.some((s) => s.hearing.kind === 'announcement'))
    violations.push({
      invariant: 'native-parity',
      detail: 'the customer heard an announcement on a call that never dropped',
    });
  const first = stack.sim.world.conferences.get(outcome.conferenceSid);
  const everyoneGone =
    first !== undefined &&
    (first.status === 'completed' || stack.sim.world.conferences.connected(first).length === 0);
  if ((outcome.customerHungUp || outcome.agentEndedCall) && !everyoneGone)
    violations.push({
      invariant: 'native-parity',
      detail: `${outcome.customerHungUp ? 'the customer' : 'the agent'} hung up and conference ${outcome.conferenceSid} is still ${first?.status ?? 'unknown'}`,
    });
  return violations;
}

/** Every key under the run's prefix has an expiry (real Redis). */
export async function checkRedisExpiry(redis: StackRedis, prefix: string): Promise<Violation[]> {
  // The same rule as every scenario's check: conference keys and indexes expire; the shared
  // queues and the inspector's listing may only point at conferences still stored.
  const forever = await keysWithoutExpiry(redis, prefix);
  return forever.length === 0
    ? []
    : [
        {
          invariant: 'redis-keys-expire',
          detail: `${forever.length} keys break expiry: ${forever
            .slice(0, 5)
            .map((k) => k.slice(prefix.length + 1))
            .join(', ')}${forever.length > 5 ? ', ...' : ''}`,
        },
      ];
}
