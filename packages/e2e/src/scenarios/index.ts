import type { StackOptions } from '../stack/stack.ts';
import type { Stack } from '../stack/stack.ts';
import { abandonScenario } from './abandon.ts';
import { escalateScenario } from './escalate.ts';
import { flexResetScenario } from './flex-reset.ts';
import { coldTransferScenario, gracefulHangupScenario } from './graceful.ts';
import type { ScenarioObserver } from './observer.ts';
import { refreshScenario } from './refresh.ts';
import type { ScenarioReport } from './report.ts';
import { threePartyScenario } from './three-party.ts';
import { warmTransferScenario } from './warm-transfer.ts';

export type { ScenarioObserver } from './observer.ts';
export { quietObserver } from './observer.ts';
export type { ScenarioReport } from './report.ts';
export type { CustomerExperience } from './measure.ts';

/** A scenario as the demo lists and runs it. */
export interface ScenarioEntry {
  name: string;
  summary: string;
  /** The outcome (final or last state on the server) that means the scenario went as told. */
  expected: string;
  /** Stack settings it needs (a short ping TTL, a slow agent...). */
  stack?: Partial<Pick<StackOptions, 'pingTimeoutS' | 'reconnectTimeoutS' | 'timing'>>;
  run(stack: Stack, observer: ScenarioObserver): Promise<ScenarioReport>;
}

export const scenarios: ScenarioEntry[] = [
  {
    name: 'refresh',
    summary: "the agent's page reloads mid-call and the same agent comes back",
    expected: 'recovered',
    run: (stack, observer) => refreshScenario(stack, observer, { awayMs: 1500 }),
  },
  {
    name: 'escalate',
    summary: 'the agent never comes back: the ping expires and another agent takes the customer',
    expected: 'handledByAnotherAgent',
    stack: { pingTimeoutS: 2 },
    run: escalateScenario,
  },
  {
    name: 'abandon',
    summary: 'the customer hangs up while the recovery pings the absent agent',
    expected: 'abandoned',
    run: (stack, observer) => abandonScenario(stack, 'pinging', observer),
  },
  {
    name: 'abandon-reconnecting',
    summary: 'the customer hangs up while queued for the returning agent',
    expected: 'abandoned',
    stack: { timing: { agentAcceptDelayMs: 1500 } },
    run: (stack, observer) => abandonScenario(stack, 'reconnecting', observer),
  },
  {
    name: 'three-party',
    summary: 'an external party is on the call; it follows the customer into the new conference',
    expected: 'recovered',
    run: threePartyScenario,
  },
  {
    name: 'warm-transfer',
    summary: 'two agents on the call: one refresh is no drop; the last agent\u2019s refresh is',
    expected: 'recovered',
    run: warmTransferScenario,
  },
  {
    name: 'graceful',
    summary: 'the agent hangs up through Flex: the call ends, no recovery',
    expected: 'graceful',
    run: gracefulHangupScenario,
  },
  {
    name: 'cold-transfer',
    summary: 'the agent cold-transfers to another agent and leaves: no recovery',
    expected: 'connected',
    run: coldTransferScenario,
  },
  {
    name: 'flex-reset',
    summary:
      "Flex's endConferenceOnExit on a two-party call is undone; the leg crashes (no beacon)",
    expected: 'recovered',
    run: flexResetScenario,
  },
];

export function scenarioNamed(name: string): ScenarioEntry | undefined {
  return scenarios.find((s) => s.name === name);
}
