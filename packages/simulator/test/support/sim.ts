import { afterEach, beforeEach } from 'vitest';
import { waitFor } from '../../src/index.ts';
import type { Testbed } from '../../src/testing/index.ts';
import { standardWorkspace, startTestbed } from '../../src/testing/index.ts';

/** The simulator, a receiver for its webhooks and the official client (`startTestbed`). */
export type Harness = Testbed;
export const harness = startTestbed;
export { standardWorkspace };

/**
 * A fresh harness for every test of the file: the returned object takes the new harness's
 * fields before each test, and the harness is closed after it.
 */
export function useHarness(): Harness {
  const current = {} as Harness;
  beforeEach(async () => {
    Object.assign(current, await harness());
  });
  afterEach(async () => {
    await current.close();
  });
  return current;
}

/** A customer in a conference with Alice, as TaskRouter's conference instruction put them there. */
export interface AnsweredCall {
  taskSid: string;
  reservationSid: string;
  conferenceSid: string;
  customerCallSid: string;
  workerCallSid: string;
}

/**
 * What a Flex desktop asks TaskRouter for when its agent accepts a voice reservation: once the
 * worker has a pending reservation, accept it through REST with the conference instruction,
 * the conference callbacks pointed at the receiver. Resolves once the customer and the
 * worker's leg are both in the conference.
 */
export async function acceptWithConference(
  h: Harness,
  workerSid: string,
  customerCallSid: string,
): Promise<AnsweredCall> {
  const { sim } = h;
  const reservation = await waitFor(() =>
    sim.world.taskrouter.reservations.forWorker(workerSid).find((r) => r.status === 'pending'),
  );
  await h.ws
    .tasks(reservation.taskSid)
    .reservations(reservation.sid)
    .update({
      instruction: 'conference',
      conferenceStatusCallback: `${h.receiver.origin}/webhooks/conference-status`,
      conferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
      endConferenceOnCustomerExit: true,
    });
  return waitFor((): AnsweredCall | null => {
    const conference = sim.world.conferences.liveByName(reservation.taskSid);
    const leg = [...sim.world.taskrouter.agentLegs.values()].find(
      (l) => l.reservationSid === reservation.sid,
    );
    if (conference === undefined || leg === undefined) return null;
    const connected = (callSid: string) =>
      conference.participants.get(callSid)?.status === 'connected';
    if (!connected(customerCallSid) || !connected(leg.callSid)) return null;
    return {
      taskSid: reservation.taskSid,
      reservationSid: reservation.sid,
      conferenceSid: conference.sid,
      customerCallSid,
      workerCallSid: leg.callSid,
    };
  });
}

/** The standard workspace, a customer calling in, and Alice accepting with a conference. */
export async function answeredCall(h: Harness, options: { reservationTimeoutS?: number } = {}) {
  const setup = standardWorkspace(h.sim, options);
  const customer = h.sim.calls.inbound({
    from: '+15551230001',
    workflowSid: setup.voiceWorkflowSid,
  });
  const call = await acceptWithConference(h, setup.alice.sid, customer.callSid);
  return { setup, customer, call, conferenceSid: call.conferenceSid };
}
