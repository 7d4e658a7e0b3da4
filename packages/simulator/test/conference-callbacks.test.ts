import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/index.ts';
import { harness, useHarness } from './support/sim.ts';
import { accountSid } from './support/ids.ts';

const h = useHarness();

const rfc2822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

/** Puts a new outbound call (an external party) into a named conference with TwiML. */
async function dialIn(room: string, extra: string, to = '+15550000001'): Promise<string> {
  const call = await h.client.calls.create({
    from: '+15550000000',
    to,
    twiml: `<Response><Dial><Conference ${extra}>${room}</Conference></Dial></Response>`,
  });
  await waitFor(() => h.sim.calls.get(call.sid).place.kind === 'conference');
  return call.sid;
}

const callbackAttrs = (
  path = '/webhooks/conference-status',
  events = 'start end join leave mute hold modify',
) => `statusCallback="${h.receiver.origin}${path}" statusCallbackEvent="${events}"`;

describe('conference status callbacks', () => {
  it('posts every section-2 field, signed with X-Twilio-Signature, with increasing SequenceNumber', async () => {
    const first = await dialIn(
      'room-a',
      `participantLabel="customer" endConferenceOnExit="false" ${callbackAttrs()}`,
    );
    const second = await dialIn(
      'room-a',
      'participantLabel="agent" endConferenceOnExit="true"',
      '+15550000002',
    );
    const conference = h.sim.world.conferences.liveByName('room-a');
    expect(conference).toBeDefined();
    await h.client
      .conferences(conference?.sid ?? '')
      .participants(first)
      .update({ hold: true });
    await h.sim.calls.hangup(second);
    const forms = await waitFor(() => {
      const all = h.receiver.forms();
      return all.some((f) => f['StatusCallbackEvent'] === 'conference-end') ? all : null;
    });
    expect(forms.map((f) => f['StatusCallbackEvent'])).toEqual([
      'participant-join',
      'conference-start',
      'participant-join',
      'participant-hold',
      'participant-leave',
      'participant-leave',
      'conference-end',
    ]);
    expect(h.receiver.received.every((r) => r.signatureValid)).toBe(true);
    const sequence = forms.map((f) => Number(f['SequenceNumber']));
    expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    expect(new Set(sequence).size).toBe(sequence.length);
    for (const form of forms) {
      expect(form['AccountSid']).toBe(accountSid);
      expect(form['ConferenceSid']).toBe(conference?.sid);
      expect(form['FriendlyName']).toBe('room-a');
      expect(form['Timestamp']).toMatch(rfc2822);
    }
    const join = forms[0] ?? {};
    expect(join).toMatchObject({
      CallSid: first,
      Muted: 'false',
      Hold: 'false',
      Coaching: 'false',
      EndConferenceOnExit: 'false',
      StartConferenceOnEnter: 'true',
      ParticipantLabel: 'customer',
    });
    // The agent (endConferenceOnExit) hung up: it leaves, the held customer is released, the conference ends.
    const leaves = forms.filter((f) => f['StatusCallbackEvent'] === 'participant-leave');
    expect(leaves[0]).toMatchObject({
      CallSid: second,
      ReasonParticipantLeft: 'participant_hung_up',
      ParticipantCallStatus: 'completed',
      EndConferenceOnExit: 'true',
    });
    expect(leaves[1]).toMatchObject({
      CallSid: first,
      ReasonParticipantLeft: 'moderator_ended_conference',
      Hold: 'true',
    });
    expect(forms.at(-1)).toMatchObject({
      ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left',
      CallSidEndingConference: second,
    });
  });

  it('sends only the subscribed events, to the URL the first participant set', async () => {
    const first = await dialIn('room-b', `${callbackAttrs('/first', 'leave end')}`);
    await dialIn('room-b', `${callbackAttrs('/second', 'start end join leave')}`, '+15550000002');
    await h.sim.calls.hangup(first);
    const conference = h.sim.world.conferences.all().find((c) => c.friendlyName === 'room-b');
    await h.client.conferences(conference?.sid ?? '').update({ status: 'completed' });
    const forms = await waitFor(() => {
      const got = h.receiver.forms('/first');
      return got.length >= 3 ? got : null;
    });
    expect(forms.map((f) => f['StatusCallbackEvent'])).toEqual([
      'participant-leave',
      'participant-leave',
      'conference-end',
    ]);
    expect(forms[1]?.['ReasonParticipantLeft']).toBe('conference_ended_via_api');
    expect(forms[2]?.['ReasonConferenceEnded']).toBe('conference-ended-via-api');
    expect(h.receiver.forms('/second')).toEqual([]);
    expect(forms.map((f) => f['SequenceNumber'])).toEqual(['1', '2', '3']);
  });

  it('ends the conference when the last participant leaves', async () => {
    const only = await dialIn('room-c', `${callbackAttrs()}`);
    await h.sim.calls.hangup(only);
    const end = await waitFor(() =>
      h.receiver.forms().find((f) => f['StatusCallbackEvent'] === 'conference-end'),
    );
    expect(end['ReasonConferenceEnded']).toBe('last-participant-left');
    expect(end['CallSidEndingConference']).toBe(only);
  });

  it('emits participant-modify when endConferenceOnExit changes, and mute events for Muted', async () => {
    const first = await dialIn('room-d', `${callbackAttrs()}`);
    const sid = h.sim.world.conferences.liveByName('room-d')?.sid ?? '';
    await h.client.conferences(sid).participants(first).update({ endConferenceOnExit: true });
    await h.client.conferences(sid).participants(first).update({ muted: true });
    const forms = await waitFor(() => {
      const got = h.receiver.forms();
      return got.length >= 4 ? got : null;
    });
    expect(forms.map((f) => f['StatusCallbackEvent'])).toEqual([
      'participant-join',
      'conference-start',
      'participant-modify',
      'participant-mute',
    ]);
    expect(forms[2]?.['EndConferenceOnExit']).toBe('true');
    expect(forms[3]?.['Muted']).toBe('true');
  });

  it('cuts connection-override fragments off the URL and signs the bare URL', async () => {
    await dialIn(
      'room-e',
      `statusCallback="${h.receiver.origin}/webhooks/conference-status#rc=2&amp;rp=all" statusCallbackEvent="join"`,
    );
    const received = await waitFor(() => h.receiver.received[0]);
    expect(received.url).toBe(`${h.receiver.origin}/webhooks/conference-status`);
    expect(received.signatureValid).toBe(true);
  });

  it('retries per connection overrides when the receiver answers 500 (rp=5xx)', async () => {
    let calls = 0;
    h.receiver.respond(() => ({ status: calls++ === 0 ? 500 : 204 }));
    await dialIn(
      'room-f',
      `statusCallback="${h.receiver.origin}/cb#rc=2&amp;rp=5xx" statusCallbackEvent="join"`,
    );
    await waitFor(() => h.receiver.received.length === 2);
    await h.sim.webhooksIdle();
    const attempts = h.sim.webhooks.of('conference');
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 204],
    ]);
  });

  it('in concurrent mode, sends without waiting, so a slow answer lets later callbacks overtake', async () => {
    const concurrent = await harness({ webhookOrdering: 'concurrent' });
    try {
      concurrent.receiver.respond((r) =>
        r.form['SequenceNumber'] === '1' ? { status: 204, delayMs: 100 } : { status: 204 },
      );
      await concurrent.client.calls.create({
        from: '+15550000000',
        to: '+15550000001',
        twiml: `<Response><Dial><Conference statusCallback="${concurrent.receiver.origin}/cb" statusCallbackEvent="start join">room-g</Conference></Dial></Response>`,
      });
      await waitFor(() => concurrent.sim.webhooks.of('conference').length === 2);
      expect(
        concurrent.sim.webhooks.of('conference').map((a) => a.params?.['SequenceNumber']),
      ).toEqual(['2', '1']);
    } finally {
      await concurrent.close();
    }
  });
});
