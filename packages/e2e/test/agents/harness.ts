import type twilio from 'twilio';
import { afterEach, beforeEach } from 'vitest';
import type { Simulator, SimulatorOptions } from '@lifeline/simulator';
import { createSimulator, fastTiming, simulatorTwilioClient, waitFor } from '@lifeline/simulator';
import { Receiver } from '@lifeline/simulator/testing';
import { Agents } from '../../src/agents/agents.ts';
import type { AgentCall } from '../../src/agents/types.ts';

/** Test SIDs: prefix + 32 hex digits. */
export const accountSid = 'AC' + '0a'.repeat(16);
export const authToken = 'simulated-auth-token';
export const workspaceSid = 'WS' + '0b'.repeat(16);

export interface Harness {
  sim: Simulator;
  /** The simulated Flex agents; their plugin talks to the receiver. */
  agents: Agents;
  client: twilio.Twilio;
  receiver: Receiver;
  /** The twilio client's TaskRouter workspace (the test workspace). */
  ws: ReturnType<twilio.Twilio['taskrouter']['v1']['workspaces']>;
  close(): Promise<void>;
}

/**
 * A simulator on fast timing, a receiver standing in for Lifeline's server (conference
 * callbacks at /webhooks/conference-status, Event Streams at /events, agent API at /api/v1),
 * simulated Flex agents whose plugin talks to the receiver, and the official twilio client
 * pointed at the simulator.
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
  const agents = new Agents(sim, receiver.origin);
  const client = simulatorTwilioClient(sim.url, accountSid, authToken);
  return {
    sim,
    agents,
    client,
    receiver,
    ws: client.taskrouter.v1.workspaces(workspaceSid),
    close: async () => {
      agents.close();
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

/**
 * The standard workspace, Alice as a simulated agent and a customer calling in; resolves once
 * Alice's call satisfies `ready` (by default: her plugin registered it with the server).
 */
export async function answeredCall(
  h: Harness,
  options: { reservationTimeoutS?: number; ready?: (call: AgentCall) => boolean } = {},
) {
  const { ready = (call: AgentCall) => call.registered } = options;
  const setup = standardWorkspace(h.sim, options);
  const alice = h.agents.add({ workerSid: setup.alice.sid });
  const customer = h.sim.calls.inbound({
    from: '+15551230001',
    workflowSid: setup.voiceWorkflowSid,
  });
  const call = await waitFor(() => {
    const current = alice.currentCall;
    return current !== null && ready(current) ? current : null;
  });
  return { setup, alice, customer, call, conferenceSid: call.conferenceSid ?? '' };
}
