import type { RequestRecord } from '@lifeline/simulator';
import type { Stack } from '../stack/stack.ts';
import { waitFor } from '@lifeline/simulator';
import type { ScenarioObserver } from './observer.ts';
import { quietObserver } from './observer.ts';
import type { ScenarioReport } from './report.ts';
import { buildReport } from './report.ts';
import {
  addAgent,
  customerCallsIn,
  finished,
  reachState,
  reconnectOffered,
  settled,
} from './steps.ts';

export interface AbandonReport extends ScenarioReport {
  /** Tasks still pending or reserved at the simulator once everything settled. */
  liveTasks: string[];
  /** REST requests after the hang-up that would ring someone or queue the customer again. */
  dialsAfterHangup: RequestRecord[];
  /** Reservations Alice, back on her page, was offered after the hang-up. */
  offeredToAliceAfterHangup: string[];
  /** Alice's reservations still open (pending or accepted) at the end. */
  aliceOpenReservations: string[];
  aliceOnACall: boolean;
}

/** REST calls that put a call somewhere: dialling out, new TwiML, new tasks. */
function dials(records: RequestRecord[]): RequestRecord[] {
  return records.filter(
    (r) =>
      r.operationId === 'CreateCall' ||
      r.operationId === 'CreateParticipant' ||
      r.operationId === 'CreateTask' ||
      (r.operationId === 'UpdateCall' && (r.params['Twiml'] ?? r.params['Url']) !== undefined),
  );
}

/**
 * Scenario 3: the customer hangs up while the recovery is pinging (the agent away) or
 * reconnecting (queued for the agent, offered but not yet accepted: give the simulator a
 * slow agentAcceptDelayMs). The recovery ends as abandoned; nothing is left pending and
 * nothing is dialled afterwards, even once the agent is back.
 */
export async function abandonScenario(
  stack: Stack,
  during: 'pinging' | 'reconnecting',
  observer: ScenarioObserver = quietObserver,
): Promise<AbandonReport> {
  const alice = addAgent(stack, 'Alice');
  const connected = await customerCallsIn(stack, alice, observer);
  const { conferenceSid } = connected;

  observer.step(
    during === 'pinging'
      ? "Alice's page reloads; she is away"
      : "Alice's page reloads and comes straight back",
  );
  const disruptedAt = stack.sim.clock.now();
  alice.refresh({ comebackAfterMs: during === 'pinging' ? null : 0 });
  await reachState(stack, conferenceSid, [during]);
  if (during === 'reconnecting') {
    await waitFor(() => reconnectOffered(stack, alice.workerSid), {
      timeoutMs: 10_000,
      description: 'the reconnect offered to Alice',
    });
  }
  await settled(stack, conferenceSid);
  const state = (await stack.api.conference(conferenceSid))?.state;
  if (state !== during) throw new Error(`the recovery moved on to ${state} before the hang-up`);

  observer.step(`The customer hangs up while the recovery is ${during}`);
  const requestsBefore = stack.sim.requests.records.length;
  const hangupAt = stack.sim.clock.now();
  connected.customer.hangup();
  const view = await finished(stack, conferenceSid);
  if (during === 'pinging') {
    observer.step("Alice's page loads again");
    alice.comeBack();
  }
  await waitFor(() => alice.isPresent, { description: 'Alice back' });
  await stack.sim.webhooksIdle();
  await settled(stack, conferenceSid);

  const live = await stack.twilio.taskrouter.v1
    .workspaces(stack.sim.options.workspaceSid)
    .tasks.list({ assignmentStatus: ['pending', 'reserved'] });
  const report = buildReport(stack, `abandon-${during}`, connected, disruptedAt, view, null);
  const dialsAfterHangup = dials(stack.sim.requests.records.slice(requestsBefore));
  report.notes.push(
    `tasks left pending at Twilio: ${live.length}; dialled after the hang-up: ${dialsAfterHangup.length}`,
  );
  return {
    ...report,
    liveTasks: live.map((t) => t.sid),
    dialsAfterHangup,
    offeredToAliceAfterHangup: stack.sim.world.taskrouter.reservations
      .forWorker(alice.workerSid)
      .filter((r) => r.dateCreated > hangupAt)
      .map((r) => r.sid),
    aliceOpenReservations: stack.sim.world.taskrouter.reservations
      .forWorker(alice.workerSid)
      .filter((r) => r.status === 'pending' || r.status === 'accepted')
      .map((r) => r.sid),
    aliceOnACall: alice.currentCall !== null,
  };
}
