import type { Stack } from '../stack/stack.ts';
import { waitFor } from '@lifeline/simulator';
import type { ScenarioObserver } from './observer.ts';
import { quietObserver } from './observer.ts';
import { refreshAndReturn } from './refresh.ts';
import type { ScenarioReport } from './report.ts';
import { addAgent, customerCallsIn, steady } from './steps.ts';

export const EXTERNAL_NUMBER = '+15557654321';
export const EXTERNAL_LABEL = 'external';

export interface ThreePartyReport extends ScenarioReport {
  externalCallSid: string;
  /** The external party in the customer's conference at the end, as the simulator has it. */
  externalAfter: { conferenceSid: string; label: string | null; status: string } | null;
}

/**
 * Scenario 5: Alice adds an external number to the call (participant create, with a label).
 * Her page reloads; once she is back with the customer, the external party is moved into
 * the new conference with its label.
 */
export async function threePartyScenario(
  stack: Stack,
  observer: ScenarioObserver = quietObserver,
): Promise<ThreePartyReport> {
  const alice = addAgent(stack, 'Alice');
  const connected = await customerCallsIn(stack, alice, observer);
  observer.step(`Alice adds ${EXTERNAL_NUMBER} to the call (label "${EXTERNAL_LABEL}")`);
  const participant = await stack.twilio.conferences(connected.conferenceSid).participants.create({
    from: '+15550100000',
    to: EXTERNAL_NUMBER,
    label: EXTERNAL_LABEL,
    endConferenceOnExit: false,
  });
  observer.followCall(participant.callSid, 'external');
  await waitFor(() => stack.sim.timeline(connected.customer.callSid).heard('external'), {
    timeoutMs: 10_000,
    description: 'the external party in the call',
  });
  await steady(stack, connected.conferenceSid);

  const report = await refreshAndReturn(stack, connected, observer, {}, 'three-party');
  const customer = stack.sim.calls.get(connected.customer.callSid);
  let externalAfter: ThreePartyReport['externalAfter'] = null;
  if (customer.place.kind === 'conference') {
    const conference = stack.sim.world.conferences.get(customer.place.conferenceSid);
    const external = await waitFor(
      () =>
        conference?.participants.get(participant.callSid)?.status === 'connected'
          ? conference.participants.get(participant.callSid)
          : null,
      { timeoutMs: 10_000, description: 'the external party in the new conference' },
    ).catch(() => undefined);
    if (conference !== undefined && external !== undefined)
      externalAfter = {
        conferenceSid: conference.sid,
        label: external.label,
        status: external.status,
      };
  }
  report.notes.push(
    externalAfter === null
      ? 'the external party is not in the new conference'
      : `external party in the new conference: label "${externalAfter.label ?? ''}", ${externalAfter.status}`,
  );
  return { ...report, externalCallSid: participant.callSid, externalAfter };
}
