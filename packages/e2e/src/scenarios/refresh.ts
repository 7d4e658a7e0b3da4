import type { SimulatedAgent } from '../agents/agent.ts';
import type { AgentCall } from '../agents/types.ts';
import type { Stack } from '../stack/stack.ts';
import { waitFor } from '@lifeline/simulator';
import type { ScenarioObserver } from './observer.ts';
import { quietObserver } from './observer.ts';
import type { ScenarioReport } from './report.ts';
import { buildReport } from './report.ts';
import type { ConnectedCall } from './steps.ts';
import {
  addAgent,
  customerCallsIn,
  finished,
  reachState,
  reconnectOffered,
  settled,
} from './steps.ts';

export interface RefreshOptions {
  /** How long the page stays away before it loads again (default 300 ms). */
  awayMs?: number;
  /** Runs on the connected call just before the refresh (faults go here). */
  beforeRefresh?: (connected: ConnectedCall) => void | Promise<void>;
  /**
   * Wait for the agent's plugin to register the new call with the server (default true).
   * Off when the server may be down just then: the registration is then lost, which is the
   * plugin's business, not this recovery's.
   */
  requireRegistration?: boolean;
  /**
   * Runs once the recovery is pinging with its effects done and the page still away; the page
   * comes back when it returns (a SIGKILL of the server goes here).
   */
  whilePinging?: () => Promise<void>;
  /**
   * Runs once the recovery is reconnecting with its effects done and the reconnect offered to
   * the agent, before the agent accepts (give the simulator a slow agentAcceptDelayMs).
   */
  whileReconnecting?: () => Promise<void>;
}

/** The agent's new call with the customer: another task than before, registered. */
export async function backWithCustomer(
  agent: SimulatedAgent,
  before: ConnectedCall,
  requireRegistration = true,
  timeoutMs = 20_000,
): Promise<AgentCall> {
  return waitFor(
    () => {
      const call = agent.currentCall;
      return call !== null &&
        call.taskSid !== before.taskSid &&
        call.customerCallSid === before.customer.callSid &&
        (call.registered || !requireRegistration)
        ? call
        : null;
    },
    { timeoutMs, description: `${agent.name} back with the customer` },
  );
}

/**
 * Scenario 1: the agent's page reloads mid-call and the same agent comes back. The customer
 * stays on the line, hears the announcement, and is routed back to the same agent.
 */
export async function refreshScenario(
  stack: Stack,
  observer: ScenarioObserver = quietObserver,
  options: RefreshOptions = {},
): Promise<ScenarioReport> {
  const alice = addAgent(stack, 'Alice');
  const connected = await customerCallsIn(stack, alice, observer);
  return refreshAndReturn(stack, connected, observer, options, 'refresh');
}

/** The refresh and the return of the same agent, on a call already connected. */
export async function refreshAndReturn(
  stack: Stack,
  connected: ConnectedCall,
  observer: ScenarioObserver,
  options: RefreshOptions,
  scenario: string,
): Promise<ScenarioReport> {
  const { agent, conferenceSid } = connected;
  await options.beforeRefresh?.(connected);
  const manual = options.whilePinging !== undefined;
  const awayMs = options.awayMs ?? 300;
  observer.step(
    manual
      ? `${agent.name}'s page reloads; the agent's call leg dies with it`
      : `${agent.name}'s page reloads (back in ${awayMs} ms); the agent's call leg dies with it`,
  );
  const disruptedAt = stack.sim.clock.now();
  agent.refresh({ comebackAfterMs: manual ? null : awayMs });

  if (options.whilePinging !== undefined) {
    await reachState(stack, conferenceSid, ['pinging']);
    await settled(stack, conferenceSid);
    await options.whilePinging();
    observer.step(`${agent.name}'s page loads again`);
    agent.comeBack();
  }
  if (options.whileReconnecting !== undefined) {
    await reachState(stack, conferenceSid, ['reconnecting']);
    await waitFor(() => reconnectOffered(stack, agent.workerSid), {
      timeoutMs: 10_000,
      description: `the reconnect offered to ${agent.name}`,
    });
    const view = await settled(stack, conferenceSid);
    if (view.state !== 'reconnecting' || !reconnectOffered(stack, agent.workerSid))
      throw new Error(
        'the reconnect was accepted too soon: slow the agent down (agentAcceptDelayMs)',
      );
    await options.whileReconnecting();
  }

  const view = await finished(stack, conferenceSid);
  const call =
    view.state === 'recovered'
      ? await backWithCustomer(agent, connected, options.requireRegistration ?? true)
      : null;
  if (call !== null) observer.step(`${agent.name} is back with the customer`);
  return buildReport(
    stack,
    scenario,
    connected,
    disruptedAt,
    view,
    call === null ? null : { agentName: agent.name, call },
  );
}
