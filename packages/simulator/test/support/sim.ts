import type twilio from 'twilio';
import type { SimulatorOptions } from '../../src/index.ts';
import { createSimulator, fastTiming, simulatorTwilioClient } from '../../src/index.ts';
import type { Simulator } from '../../src/simulator.ts';
import { accountSid, authToken, workspaceSid } from './ids.ts';
import { Receiver } from './receiver.ts';

export interface Harness {
  sim: Simulator;
  client: twilio.Twilio;
  receiver: Receiver;
  close(): Promise<void>;
}

/**
 * A simulator on fast timing, a receiver standing in for Lifeline's server (conference
 * callbacks at /webhooks/conference-status, Event Streams at /events, agent API at /api/v1),
 * and the official twilio client pointed at the simulator.
 */
export async function harness(options: Partial<SimulatorOptions> = {}): Promise<Harness> {
  const receiver = await new Receiver().start();
  const sim = createSimulator({
    accountSid,
    authToken,
    workspaceSid,
    serverUrl: receiver.origin,
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
