import type twilio from 'twilio';
import { createSimulator, fastTiming, simulatorTwilioClient } from '../index.ts';
import type { SimulatorOptions } from '../options.ts';
import type { Simulator } from '../simulator.ts';
import { Receiver } from './receiver.ts';

/** The test account: SIDs are a prefix and 32 hex digits. */
export const testAccount = {
  accountSid: 'AC' + '0a'.repeat(16),
  authToken: 'simulated-auth-token',
  workspaceSid: 'WS' + '0b'.repeat(16),
} as const;

export interface Testbed {
  sim: Simulator;
  client: twilio.Twilio;
  /** Stands in for the application behind Twilio. */
  receiver: Receiver;
  /** The twilio client's TaskRouter workspace (the test workspace). */
  ws: ReturnType<twilio.Twilio['taskrouter']['v1']['workspaces']>;
  close(): Promise<void>;
}

/**
 * A simulator on fast timing, a receiver standing in for the application behind Twilio
 * (conference callbacks at /webhooks/conference-status, Event Streams at /events), and the
 * official twilio client pointed at the simulator. Closing it fails when a listener threw
 * inside the simulator: that is a simulator bug, whatever the test asserted.
 */
export async function startTestbed(options: Partial<SimulatorOptions> = {}): Promise<Testbed> {
  const { accountSid, authToken, workspaceSid } = testAccount;
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
      if (sim.world.listenerErrors.length > 0) throw sim.world.listenerErrors[0];
    },
  };
}

/** Workers Alice and Bob (offline), and the standard set-up (Everyone queue, voice and ping workflows). */
export function standardWorkspace(sim: Simulator, options: { reservationTimeoutS?: number } = {}) {
  const setup = sim.workspace.addStandardSetup({
    taskReservationTimeout: options.reservationTimeoutS ?? 120,
  });
  const alice = sim.workspace.addWorker({ friendlyName: 'Alice' });
  const bob = sim.workspace.addWorker({ friendlyName: 'Bob', activity: 'Offline' });
  return { ...setup, alice, bob };
}
