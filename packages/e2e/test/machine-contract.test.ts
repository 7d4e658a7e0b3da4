import { describe, expect, it } from 'vitest';
import { parseCloudEvents, parseConferenceStatus, toTaskRouterEvent } from '@lifeline/machine';
import { waitFor } from '@lifeline/simulator';
import { answeredCall, useHarness } from './agents/harness.ts';

const h = useHarness();

/**
 * What the simulator sends must be what the recovery statechart's parsers accept: run a call
 * through accept, a refresh and a hang-up, then parse every callback and CloudEvent received.
 */
describe('the simulator’s webhooks against @lifeline/machine’s parsers', () => {
  it('parses every conference callback and every CloudEvent', async () => {
    const { setup, alice, customer, call } = await answeredCall(h, { reservationTimeoutS: 2 });
    await h.client
      .conferences(call.conferenceSid ?? '')
      .participants(customer.callSid)
      .update({ hold: true });
    alice.refresh({ comebackAfterMs: null });
    await h.ws.tasks.create({
      workflowSid: setup.pingWorkflowSid,
      attributes: JSON.stringify({ name: 'Recovery Ping', disconnectedWorkerSid: alice.workerSid }),
      timeout: 10,
    });
    await waitFor(() =>
      h.receiver.forms().some((f) => f['StatusCallbackEvent'] === 'conference-end'),
    );
    await waitFor(() => h.receiver.cloudEvents().some((e) => e.type.endsWith('task.canceled')));
    await h.sim.webhooksIdle();

    const forms = h.receiver.forms();
    const parsed = forms.map((form) => parseConferenceStatus(form));
    expect(parsed.map((p) => p.event.type)).toEqual(
      expect.arrayContaining([
        'participant.joined',
        'conference.started',
        'participant.updated',
        'participant.left',
        'conference.ended',
      ]),
    );
    const batches = h.receiver.received.filter((r) => r.path === '/events').map((r) => r.json);
    const events = batches.flatMap((body) => parseCloudEvents(body));
    const machineEvents = events.map((e) => toTaskRouterEvent(e)).filter((e) => e !== null);
    expect(machineEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'task.created',
        'task.queueEntered',
        'reservation.accepted',
        'reservation.timeout',
        'task.canceled',
      ]),
    );
  });
});
