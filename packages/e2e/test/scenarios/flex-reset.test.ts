import { describe, expect, it } from 'vitest';
import { waitFor } from '@lifeline/simulator';
import { flexResetScenario } from '../../src/scenarios/flex-reset.ts';
import { quietObserver } from '../../src/scenarios/observer.ts';
import { addAgent, customerCallsIn, finished, steady } from '../../src/scenarios/steps.ts';
import { expectBackWithSameAgent } from './expect-recovered.ts';
import { useStacks } from './stack.ts';

describe("scenario 7: Flex's endConferenceOnExit on a two-party call", () => {
  const stack = useStacks();

  it('is undone, so the customer stays when the agent drops', async () => {
    const s = await stack();
    const report = await flexResetScenario(s);
    expect(report.flexSetEndConferenceOnExit).toBe(true);
    expect(report.serverUndidIt).toBe(true);
    // No beacon: the drop itself (participant_hung_up) started the recovery.
    const start = report.view.timeline.find((e) => e.kind === 'event' && e.state === 'pinging');
    expect(start?.name).toBe('participant.left');
    await expectBackWithSameAgent(s, report);
  });
});

describe("Flex's endConferenceOnExit on the re-dialed call", () => {
  const stack = useStacks();

  it('a reload before Lifeline undoes it ends that conference: the customer is queued again', async () => {
    const s = await stack();
    const alice = addAgent(s, 'Alice');
    const connected = await customerCallsIn(s, alice, quietObserver);
    const customerSid = connected.customer.callSid;
    const { conferences, calls } = s.sim.world;
    // Armed for the re-dialed call: the moment Flex sets the flag on Alice's new leg with
    // the customer there, her page reloads again, before Lifeline can set it back.
    let lost: string | null = null;
    s.sim.world.events.on('conference', (event) => {
      const participant = event.participant;
      if (lost !== null || event.conferenceSid === connected.conferenceSid) return;
      if (event.name !== 'participant-modify' || participant?.endConferenceOnExit !== true) return;
      const conference = conferences.get(event.conferenceSid);
      if (conference?.participants.get(customerSid)?.status !== 'connected') return;
      if (participant.callSid !== alice.currentCall?.workerCallSid) return;
      lost = event.conferenceSid;
      queueMicrotask(() => alice.refresh({ comebackAfterMs: 1500 }));
    });
    alice.refresh({ comebackAfterMs: 500 });
    const lostSid = await waitFor(() => lost, {
      timeoutMs: 30_000,
      description: "Flex's flag on the re-dialed leg, with the customer there",
    });
    await waitFor(() => conferences.get(lostSid)?.status === 'completed', {
      timeoutMs: 10_000,
      description: 'the re-dialed conference ended with the reload',
    });
    // Twilio asked the Enqueue's action what next, and the customer was queued again.
    const third = await waitFor(
      () =>
        conferences
          .all()
          .find(
            (c) =>
              c.sid !== connected.conferenceSid &&
              c.sid !== lostSid &&
              c.participants.get(customerSid)?.status === 'connected' &&
              [...c.participants.values()].some(
                (p) => p.callSid === alice.currentCall?.workerCallSid && p.status === 'connected',
              ),
          ) ?? null,
      { timeoutMs: 40_000, description: 'the customer with Alice again, in a third conference' },
    );
    const customer = calls.get(customerSid);
    expect(customer?.status).toBe('in-progress');
    const timeline = s.sim.timeline(customerSid).entries.map((entry) => entry.text);
    expect(timeline.some((text) => text.includes('QueueResult=bridged'))).toBe(true);
    await steady(s, third.sid);
    // The call ends as in Flex when the customer hangs up.
    connected.customer.hangup();
    await finished(s, third.sid);
  });
});
