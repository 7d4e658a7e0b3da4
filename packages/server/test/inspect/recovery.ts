/**
 * A refresh recovered end to end, as a list of steps a test can run one at a time (the
 * browser test watches the page between them). Driven by signed webhooks and the plugin API
 * through the shared Flow helper; effects run when the test drains the runner.
 */
import type { FastifyInstance } from 'fastify';
import { describeSnapshot, restore } from '@lifeline/machine';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { Flow } from '../support/flow.ts';
import { CONF, CUSTOMER, EXTERNAL, TASK, sid } from '../support/payloads.ts';

export const RECONNECT_TASK = sid('WT', 70);
/** The conference the agent's reconnect task brings the customer into. */
export const NEW_CONF = sid('CF', 72);
export const SUPERVISOR_TOKEN = 'supervisor-token-1';

export interface RecoveryStep {
  name: string;
  run: () => Promise<void>;
}

export function refreshRecovery(app: FastifyInstance, twilio: FakeTwilio): RecoveryStep[] {
  const flow = new Flow(() => [app], twilio);
  const drain = () => app.lifeline.runner.drain();
  twilio.tasks.set(TASK, {
    sid: TASK,
    attributes: JSON.stringify({ conversations: { conversation_id: TASK }, from: '+15551234567' }),
    assignment_status: 'wrapping',
    priority: 0,
    workflow_sid: sid('WW', 1),
    version: 0,
  });
  return [
    { name: 'call set up', run: () => flow.threePartyCall() },
    {
      name: 'agent drops',
      run: () =>
        flow
          .agentDrops()
          .then(drain)
          .then(() => undefined),
    },
    {
      name: 'agent answers the ping',
      run: async () => {
        await flow.pingAccepted(flow.pingTask().sid);
        await drain();
      },
    },
    {
      name: 'reconnect task queued',
      run: async () => {
        await flow.reconnectQueued(RECONNECT_TASK);
        await drain();
      },
    },
    { name: 'agent takes the reconnect task', run: () => flow.reconnectAccepted(RECONNECT_TASK) },
    {
      name: "the customer joins the agent's new conference",
      run: () => flow.newConference(NEW_CONF, RECONNECT_TASK, 'participant-join', CUSTOMER),
    },
    { name: 'other parties dialled back in', run: () => drain().then(() => undefined) },
    {
      name: 'the other party joins the new conference',
      run: () => flow.newConference(NEW_CONF, RECONNECT_TASK, 'participant-join', EXTERNAL),
    },
  ];
}

/** The leaf state the server stored for the test conference, read through the machine. */
export async function storedState(app: FastifyInstance, conferenceSid = CONF): Promise<string> {
  const stored = await app.lifeline.store.load(conferenceSid);
  if (stored === null) throw new Error(`${conferenceSid} is not stored`);
  return describeSnapshot(restore(stored.snapshot)).state;
}
