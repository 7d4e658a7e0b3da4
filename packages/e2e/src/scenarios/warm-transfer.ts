import type { Stack } from '../stack/stack.ts';
import type { ScenarioObserver } from './observer.ts';
import { quietObserver } from './observer.ts';
import { refreshAndReturn } from './refresh.ts';
import type { ScenarioReport } from './report.ts';
import { addAgent, customerCallsIn, pingTaskCreates } from './steps.ts';
import { leaveSeen, transferCall } from './transfer.ts';

export interface WarmTransferReport extends ScenarioReport {
  /** After Alice's refresh with Bob still on the call. */
  afterFirstRefresh: { state: string; pingTasks: number; customerHears: string };
}

/**
 * Scenario 4: a warm transfer puts Alice and Bob on the call. Alice refreshes: Bob is still
 * there, so nothing is recovered. Then Bob, the last agent, refreshes: a recovery, and Bob
 * comes back to the customer.
 */
export async function warmTransferScenario(
  stack: Stack,
  observer: ScenarioObserver = quietObserver,
): Promise<WarmTransferReport> {
  const alice = addAgent(stack, 'Alice');
  const connected = await customerCallsIn(stack, alice, observer);
  const bob = addAgent(stack, 'Bob');
  const withBob = await transferCall(stack, connected, bob, 'WARM', observer);

  observer.step("Alice's page reloads while Bob is on the call");
  alice.refresh({ comebackAfterMs: 100 });
  const view = await leaveSeen(stack, connected.conferenceSid, connected.call.workerCallSid);
  const hearing = stack.sim.timeline(connected.customer.callSid).segments.at(-1)?.text ?? '';
  const afterFirstRefresh = {
    state: view.state,
    pingTasks: pingTaskCreates(stack).length,
    customerHears: hearing,
  };
  observer.step(`No recovery (${view.state}); the customer ${hearing}`);

  const report = await refreshAndReturn(stack, withBob, observer, {}, 'warm-transfer');
  report.notes.push(
    `after Alice's refresh (Bob still on): state ${afterFirstRefresh.state}, ping tasks ${afterFirstRefresh.pingTasks}`,
  );
  return { ...report, afterFirstRefresh };
}
