import type { Stack } from '../stack/stack.ts';
import { waitFor } from '@lifeline/simulator';
import type { ScenarioObserver } from './observer.ts';
import { quietObserver } from './observer.ts';
import { refreshAndReturn } from './refresh.ts';
import type { ScenarioReport } from './report.ts';
import { addAgent, customerCallsIn, steady } from './steps.ts';

export interface FlexResetReport extends ScenarioReport {
  /** Flex set the agent's endConferenceOnExit to true (participant-modify reached the server). */
  flexSetEndConferenceOnExit: boolean;
  /** The server set it back to false after that (UpdateParticipant at the simulator). */
  serverUndidIt: boolean;
}

/**
 * Scenario 7: on a two-party call Flex sets the agent's endConferenceOnExit to true (on
 * accept and on every conference update). Lifeline undoes it, so when the agent's leg drops
 * (no pagehide beacon here: a crash looks the same to Twilio) the conference goes on and the
 * customer stays.
 */
export async function flexResetScenario(
  stack: Stack,
  observer: ScenarioObserver = quietObserver,
): Promise<FlexResetReport> {
  const alice = addAgent(stack, 'Alice', { beaconOnUnload: false });
  const connected = await customerCallsIn(stack, alice, observer);
  const workerCallSid = connected.call.workerCallSid;
  const modify = await waitFor(
    () =>
      stack.sim.webhooks
        .of('conference')
        .find(
          (a) =>
            a.ok &&
            a.params?.['StatusCallbackEvent'] === 'participant-modify' &&
            a.params['CallSid'] === workerCallSid &&
            a.params['EndConferenceOnExit'] === 'true',
        ),
    { timeoutMs: 10_000, description: "Flex's endConferenceOnExit=true reported" },
  );
  observer.step("Flex set Alice's endConferenceOnExit=true; Lifeline sets it back to false");
  const undo = await waitFor(
    () =>
      stack.sim.requests
        .of('UpdateParticipant')
        .find(
          (r) =>
            r.at >= modify.at &&
            r.path.endsWith(`/Participants/${workerCallSid}.json`) &&
            r.params['EndConferenceOnExit'] === 'false',
        ),
    { timeoutMs: 10_000, description: 'the server undoing it' },
  );
  await steady(stack, connected.conferenceSid);
  const report = await refreshAndReturn(stack, connected, observer, {}, 'flex-reset');
  report.notes.push("Flex's endConferenceOnExit=true was set back to false before the drop");
  return { ...report, flexSetEndConferenceOnExit: true, serverUndidIt: undo !== undefined };
}
