import { afterEach, beforeEach } from 'vitest';
import type { SimulatorOptions } from '@lifeline/simulator';
import { waitFor } from '@lifeline/simulator';
import type { Testbed } from '@lifeline/simulator/testing';
import { standardWorkspace, startTestbed, testAccount } from '@lifeline/simulator/testing';
import { Agents } from '../../src/agents/agents.ts';
import type { AgentCall } from '../../src/agents/types.ts';

export const { accountSid } = testAccount;
export { standardWorkspace };

export interface Harness extends Testbed {
  /** The simulated Flex agents; their plugin talks to the receiver. */
  agents: Agents;
}

/**
 * The simulator's testbed (fast timing, a receiver standing in for Lifeline's server:
 * conference callbacks at /webhooks/conference-status, Event Streams at /events, agent API at
 * /api/v1) and simulated Flex agents whose plugin talks to the receiver.
 */
export async function harness(options: Partial<SimulatorOptions> = {}): Promise<Harness> {
  const testbed = await startTestbed(options);
  const agents = new Agents(testbed.sim, testbed.receiver.origin);
  return {
    ...testbed,
    agents,
    close: async () => {
      agents.close();
      await testbed.close();
    },
  };
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
