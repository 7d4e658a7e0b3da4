import type twilio from 'twilio';
import { afterEach, beforeEach } from 'vitest';
import type { SimulatorOptions } from '../../src/index.ts';
import { createSimulator, fastTiming, simulatorTwilioClient, waitFor } from '../../src/index.ts';
import type { Simulator } from '../../src/simulator.ts';
import { Receiver } from '../../src/testing/index.ts';
import { accountSid, authToken, workspaceSid } from './ids.ts';

export interface Harness {
  sim: Simulator;
  client: twilio.Twilio;
  receiver: Receiver;
  /** The twilio client's TaskRouter workspace (the test workspace). */
  ws: ReturnType<twilio.Twilio['taskrouter']['v1']['workspaces']>;
  close(): Promise<void>;
}

/**
 * A simulator on fast timing, a receiver standing in for the application behind Twilio
 * (conference callbacks at /webhooks/conference-status, Event Streams at /events), and the
 * official twilio client pointed at the simulator.
 */
export async function harness(options: Partial<SimulatorOptions> = {}): Promise<Harness> {
  const receiver = await new Receiver(authToken).start();
  const sim = createSimulator({
    accountSid,
    authToken,
    workspaceSid,
    eventStreamsSinkUrl: `${receiver.origin}/events`,
    ...options,
    timing: { ...fastTiming, ...options.timing },
  });
  await sim.start();
  const client = simulatorTwilioClient(sim.url, accountSid, authToken);
  return {
    sim,
    client,
    receiver,
    ws: client.taskrouter.v1.workspaces(workspaceSid),
    close: async () => {
      await sim.close();
      await receiver.close();
      // A listener that threw inside the simulator is a simulator bug, whatever the test asserted.
      if (sim.world.listenerErrors.length > 0) throw sim.world.listenerErrors[0];
    },
  };
}

/** Workers Alice and Bob with agents, and the standard set-up (Everyone queue, voice and ping workflows). */
export function standardWorkspace(sim: Simulator, options: { reservationTimeoutS?: number } = {}) {
  const setup = sim.workspace.addStandardSetup({
    taskReservationTimeout: options.reservationTimeoutS ?? 120,
  });
  const alice = sim.workspace.addWorker({ friendlyName: 'Alice' });
  const bob = sim.workspace.addWorker({ friendlyName: 'Bob', activity: 'Offline' });
  return { ...setup, alice, bob };
}

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
