import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/index.ts';
import {
  acceptWithConference,
  answeredCall,
  standardWorkspace,
  useHarness,
} from './support/sim.ts';

const h = useHarness();

describe('call timelines', () => {
  it('tells what the customer heard: queue music, the agent, hold music, an announcement', async () => {
    const setup = standardWorkspace(h.sim);
    h.sim.workspace.setActivity(setup.alice.sid, 'Offline');
    const customer = h.sim.calls.inbound({
      from: '+15551230001',
      workflowSid: setup.voiceWorkflowSid,
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    h.sim.workspace.setActivity(setup.alice.sid, 'Available');
    const { conferenceSid } = await acceptWithConference(h, setup.alice.sid, customer.callSid);
    const participant = h.client.conferences(conferenceSid).participants(customer.callSid);
    await participant.update({ hold: true, holdUrl: 'http://127.0.0.1/music.mp3' });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await participant.update({ hold: false });
    await h.client
      .conferences(conferenceSid)
      .update({ announceUrl: 'http://127.0.0.1/back-soon.xml' });
    await waitFor(() => customer.timeline().segments.at(-1)?.hearing.kind === 'parties');

    const timeline = customer.timeline();
    expect(timeline.segments.map((s) => s.hearing.kind)).toEqual([
      'queue-music',
      'parties',
      'hold-music',
      'parties',
      'announcement',
      'parties',
    ]);
    expect(timeline.heard('agent Alice')).toBe(true);
    expect(timeline.msHearing('queue-music')).toBeGreaterThanOrEqual(30);
    expect(timeline.msHearing('hold-music')).toBeGreaterThanOrEqual(30);
    expect(timeline.has('heard announcement http://127.0.0.1/back-soon.xml')).toBe(true);
    expect(timeline.has(/^joined conference /)).toBe(true);
    expect(timeline.ended).toBe(false);
    expect(timeline.story().at(0)).toMatch(/^\+0ms hears queue music$/);
  });

  it('shows a customer left alone hearing silence, and the call ending when the conference does', async () => {
    const { customer, call } = await answeredCall(h);
    await h.client
      .conferences(call.conferenceSid)
      .participants(customer.callSid)
      .update({ endConferenceOnExit: false });
    await h.client
      .conferences(call.conferenceSid)
      .participants(call.workerCallSid)
      .update({ endConferenceOnExit: false });
    // The worker's Voice SDK leg drops (the browser page went away).
    h.sim.calls.hangup(call.workerCallSid);
    await waitFor(() => customer.timeline().segments.at(-1)?.hearing.kind === 'silence');
    expect(customer.timeline().ended).toBe(false);
    await h.client.conferences(call.conferenceSid).update({ status: 'completed' });
    await waitFor(() => customer.timeline().ended);
    expect(customer.timeline().has('TwiML ended: call hung up')).toBe(true);
    expect(h.sim.timeline(call.workerCallSid).has(/left conference .*participant_hung_up/)).toBe(
      true,
    );
  });
});
