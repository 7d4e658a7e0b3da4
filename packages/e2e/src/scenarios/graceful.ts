import type { Stack } from '../stack/stack.ts';
import { waitFor } from '@lifeline/simulator';
import type { ScenarioObserver } from './observer.ts';
import { quietObserver } from './observer.ts';
import type { ScenarioReport } from './report.ts';
import { buildReport } from './report.ts';
import { addAgent, customerCallsIn, finished, pingTaskCreates } from './steps.ts';
import { leaveSeen, transferCall } from './transfer.ts';

export interface NoRecoveryReport extends ScenarioReport {
  pingTasks: number;
  /** The states the conference went through on the server. */
  states: string[];
  conferenceStatus: string;
}

function statesOf(report: Pick<ScenarioReport, 'view'>): string[] {
  return [
    ...new Set(
      report.view.timeline.flatMap((e) =>
        e.kind === 'event' && e.state !== undefined ? [e.state] : [],
      ),
    ),
  ];
}

/**
 * Scenario 6a: Alice hangs up through Flex on a two-party call. The server ends the
 * conference (everyone's endConferenceOnExit is off, so it would not end by itself) and
 * starts no recovery.
 */
export async function gracefulHangupScenario(
  stack: Stack,
  observer: ScenarioObserver = quietObserver,
): Promise<NoRecoveryReport> {
  const alice = addAgent(stack, 'Alice');
  const connected = await customerCallsIn(stack, alice, observer);
  observer.step('Alice hangs up through Flex');
  const disruptedAt = stack.sim.clock.now();
  await alice.hangup();
  const view = await finished(stack, connected.conferenceSid);
  await waitFor(() => stack.sim.timeline(connected.customer.callSid).ended, {
    description: "the customer's call to end",
  });
  const report = buildReport(stack, 'graceful', connected, disruptedAt, view, null);
  report.notes.push(`ping tasks: ${pingTaskCreates(stack).length}; conference ended by Lifeline`);
  return {
    ...report,
    pingTasks: pingTaskCreates(stack).length,
    states: statesOf(report),
    conferenceStatus: stack.sim.world.conferences.get(connected.conferenceSid)?.status ?? 'unknown',
  };
}

/**
 * Scenario 6b: Alice cold-transfers the call to Bob and leaves. Her leaving is not a drop:
 * no recovery starts, and the customer ends up with Bob.
 */
export async function coldTransferScenario(
  stack: Stack,
  observer: ScenarioObserver = quietObserver,
): Promise<NoRecoveryReport> {
  const alice = addAgent(stack, 'Alice');
  const connected = await customerCallsIn(stack, alice, observer);
  const bob = addAgent(stack, 'Bob');
  const disruptedAt = stack.sim.clock.now();
  const withBob = await transferCall(stack, connected, bob, 'COLD', observer);
  const view = await leaveSeen(stack, connected.conferenceSid, connected.call.workerCallSid);
  const report = buildReport(stack, 'cold-transfer', connected, disruptedAt, view, {
    agentName: bob.name,
    call: withBob.call,
  });
  report.notes.push(`ping tasks: ${pingTaskCreates(stack).length}; the customer is with Bob`);
  return {
    ...report,
    pingTasks: pingTaskCreates(stack).length,
    states: statesOf(report),
    conferenceStatus: stack.sim.world.conferences.get(connected.conferenceSid)?.status ?? 'unknown',
  };
}
