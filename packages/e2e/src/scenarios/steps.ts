import type { AgentCall, AgentOptions } from '../agents/types.ts';
import type { SimulatedAgent } from '../agents/agent.ts';
import type { CustomerCall } from '@lifeline/simulator';
import type { RecoveryView, ServerTimelineEntry } from '../stack/lifeline-api.ts';
import { effectResult } from '../stack/lifeline-api.ts';
import type { Stack } from '../stack/stack.ts';
import { waitFor } from '@lifeline/simulator';
import type { ScenarioObserver } from './observer.ts';

/** A worker in the workspace and its simulated Flex agent (page loaded, Available). */
export function addAgent(
  stack: Stack,
  name: string,
  options: Omit<AgentOptions, 'workerSid'> = {},
): SimulatedAgent {
  const worker = stack.sim.workspace.addWorker({ friendlyName: name });
  return stack.agents.add({ ...options, workerSid: worker.sid });
}

export interface ConnectedCall {
  customer: CustomerCall;
  agent: SimulatedAgent;
  call: AgentCall;
  conferenceSid: string;
  /** The task the customer's call became (Flex's conference is named after it). */
  taskSid: string;
}

/** The customer calls in; `agent` (the only one available) takes it and registers. */
export async function customerCallsIn(
  stack: Stack,
  agent: SimulatedAgent,
  observer: ScenarioObserver,
  from = '+15551230001',
): Promise<ConnectedCall> {
  observer.step(`The customer (${from}) calls in; ${agent.name} takes the call`);
  const customer = stack.sim.calls.inbound({
    from,
    workflowSid: stack.setup.voiceWorkflowSid,
    attributes: { from, direction: 'inbound', conversations: { communication_channel: 'voice' } },
  });
  observer.followCall(customer.callSid, 'customer');
  const call = await waitFor(
    () => (agent.currentCall?.registered === true ? agent.currentCall : null),
    { timeoutMs: 10_000, description: `${agent.name} connected and registered` },
  );
  const conferenceSid = call.conferenceSid ?? '';
  observer.followConference(conferenceSid);
  await steady(stack, conferenceSid);
  return { customer, agent, call, conferenceSid, taskSid: customer.taskSid ?? '' };
}

/**
 * Waits until the call is as Lifeline keeps it: every webhook delivered, every effect run,
 * and no live participant but the customer with endConferenceOnExit (Flex sets the agent's
 * on each update; the server undoes it). A drop before that would end the conference with
 * the agent's leg, as it would without Lifeline: a real race, but not the one a scenario is
 * about. The customer keeps Flex's flag until a recovery starts (native parity).
 */
export async function steady(stack: Stack, conferenceSid: string): Promise<RecoveryView> {
  return waitFor(
    async () => {
      const conference = stack.sim.world.conferences.get(conferenceSid);
      if (conference === undefined || stack.sim.webhooks.pending > 0) return null;
      const view = await stack.api.conference(conferenceSid);
      if (view === null || !isSettled(view.timeline)) return null;
      const customerCallSid = view.snapshot.context.customerCallSid;
      const connected = stack.sim.world.conferences.connected(conference);
      if (connected.some((p) => p.endConferenceOnExit && p.callSid !== customerCallSid)) {
        return null;
      }
      return view;
    },
    { timeoutMs: 10_000, intervalMs: 20, description: `conference ${conferenceSid} steady` },
  );
}

/**
 * Every effect the server enqueued for the conference has run (not merely been retried). The
 * timeline lists each effect the chart asked for, but the store enqueues a key only once: a
 * key asked again after its result (Flex re-setting a flag the server already cleared under
 * that key) is not run again, so it is not pending.
 */
export function isSettled(timeline: ServerTimelineEntry[]): boolean {
  const pending = new Set<string>();
  const done = new Set<string>();
  for (const entry of timeline) {
    if (entry.kind === 'effect') {
      const key = (entry.detail as { key?: unknown } | undefined)?.key;
      if (typeof key === 'string' && !done.has(key)) pending.add(key);
    }
    const result = effectResult(entry);
    if (result !== null && !result.result.startsWith('retry in')) {
      pending.delete(result.key);
      done.add(result.key);
    }
  }
  return pending.size === 0;
}

/** Waits until the server has run every effect it enqueued for the conference. */
export async function settled(
  stack: Stack,
  conferenceSid: string,
  timeoutMs = 10_000,
): Promise<RecoveryView> {
  return waitFor(
    async () => {
      const view = await stack.api.conference(conferenceSid);
      return view !== null && isSettled(view.timeline) ? view : null;
    },
    { timeoutMs, intervalMs: 20, description: `the effects of ${conferenceSid} to run` },
  );
}

/** Waits for the conference's recovery to be in one of `states` (leaf names). */
export async function reachState(
  stack: Stack,
  conferenceSid: string,
  states: string[],
  timeoutMs = 15_000,
): Promise<RecoveryView> {
  let last = 'unknown';
  try {
    return await waitFor(
      async () => {
        const view = await stack.api.conference(conferenceSid);
        last = view?.state ?? 'not known to the server';
        return view !== null && states.includes(view.state) ? view : null;
      },
      { timeoutMs, intervalMs: 20, description: `state ${states.join(' or ')}` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message} (last seen: ${last})`, { cause: error });
  }
}

/** Waits for a final state, then for its effects (cancels, conference end) to have run. */
export async function finished(
  stack: Stack,
  conferenceSid: string,
  timeoutMs = 20_000,
): Promise<RecoveryView> {
  await waitFor(async () => (await stack.api.conference(conferenceSid))?.final === true, {
    timeoutMs,
    intervalMs: 20,
    description: `the recovery of ${conferenceSid} to end`,
  }).catch(async (error: unknown) => {
    const view = await stack.api.conference(conferenceSid);
    throw new Error(`${(error as Error).message} (state: ${view?.state ?? 'unknown'})`, {
      cause: error,
    });
  });
  return settled(stack, conferenceSid);
}

/** The Recovery Ping tasks created at the simulator (REST request log). */
export function pingTaskCreates(stack: Stack) {
  return stack.sim.requests
    .of('CreateTask')
    .filter((r) => r.status < 300 && String(r.params['Attributes']).includes('Recovery Ping'));
}

/** The reconnect reservation is offered to the agent (and not yet accepted). */
export function reconnectOffered(stack: Stack, workerSid: string): boolean {
  const { reservations, tasks } = stack.sim.world.taskrouter;
  return reservations.forWorker(workerSid).some((reservation) => {
    const task = tasks.get(reservation.taskSid);
    return reservation.status === 'pending' && task?.attributes.includes('"isReconnect":true');
  });
}
