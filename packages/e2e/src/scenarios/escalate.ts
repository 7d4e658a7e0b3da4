import type { AgentCall } from '../agents/types.ts';
import type { RecoveryView } from '../stack/lifeline-api.ts';
import { modalOf } from '../stack/lifeline-api.ts';
import type { Stack } from '../stack/stack.ts';
import { waitFor } from '@lifeline/simulator';
import type { ScenarioObserver } from './observer.ts';
import { quietObserver } from './observer.ts';
import type { ScenarioReport } from './report.ts';
import { buildReport } from './report.ts';
import { addAgent, customerCallsIn, finished, reachState } from './steps.ts';

export interface EscalateReport extends ScenarioReport {
  /** What Alice's plugin reads after a reload while the customer waits for someone else. */
  aliceView: Omit<RecoveryView, 'timeline'> | null;
  /** The modal title the plugin shows for that state. */
  aliceModalTitle: string | null;
  /** The task Bob took the customer with. */
  bobTask: { sid: string; priority: number; attributes: string } | null;
  bobCall: AgentCall;
}

/**
 * Scenario 2: the agent never comes back. The ping's TTL runs out, the customer is queued
 * for any agent with raised priority, and Bob takes the call. Alice's modal says so.
 */
export async function escalateScenario(
  stack: Stack,
  observer: ScenarioObserver = quietObserver,
): Promise<EscalateReport> {
  const alice = addAgent(stack, 'Alice');
  const connected = await customerCallsIn(stack, alice, observer);
  // Bob answers when he is ready, so the escalated state can be looked at first.
  observer.step('Bob logs in (he answers offered calls by hand)');
  const bob = addAgent(stack, 'Bob', { autoAccept: false });

  observer.step(
    `Alice's page reloads and never comes back; the ping expires after ${stack.pingTimeoutS} s`,
  );
  const disruptedAt = stack.sim.clock.now();
  alice.refresh({ comebackAfterMs: null });
  await reachState(stack, connected.conferenceSid, ['escalated'], stack.pingTimeoutS * 2000 + 5000);

  // Alice's old page token is still valid: what her plugin would show if she reloaded now.
  const aliceView = await stack.api.workerRecovery(alice.workerSid, alice.token);
  const aliceModalTitle =
    aliceView === null ? null : (modalOf(aliceView.snapshot).modal?.title ?? null);
  observer.step(`Alice's modal: "${aliceModalTitle ?? 'none'}"`);

  const offered = await waitFor(
    () => {
      const reservation = stack.sim.world.taskrouter.reservations
        .forWorker(bob.workerSid)
        .find((r) => r.status === 'pending');
      return reservation === undefined ? null : reservation;
    },
    { timeoutMs: 10_000, description: 'the customer offered to Bob' },
  );
  const task = stack.sim.world.taskrouter.tasks.get(offered.taskSid);
  observer.step('Bob accepts the waiting customer');
  bob.accept(offered.sid);
  const bobCall = await waitFor(
    () => (bob.currentCall?.registered === true ? bob.currentCall : null),
    { timeoutMs: 10_000, description: 'Bob connected with the customer' },
  );
  const view = await finished(stack, connected.conferenceSid);
  const report = buildReport(stack, 'escalate', connected, disruptedAt, view, {
    agentName: bob.name,
    call: bobCall,
  });
  report.notes.push(
    `Alice's modal while escalated: "${aliceModalTitle ?? 'none'}"`,
    `Bob's task: priority ${task?.priority ?? '?'}, any agent (no targetWorkerSid)`,
  );
  return {
    ...report,
    aliceView,
    aliceModalTitle,
    bobTask:
      task === undefined
        ? null
        : { sid: task.sid, priority: task.priority, attributes: task.attributes },
    bobCall,
  };
}
