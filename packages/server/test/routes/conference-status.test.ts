import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow } from '../support/flow.ts';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  conferenceCallback,
  participantFields,
} from '../support/payloads.ts';

describe('POST /webhooks/conference-status', () => {
  const h = useHarness();

  const register = () => new Flow(() => [h.app], h.twilio).register();

  it('rejects a missing or wrong signature with 403 and changes nothing', async () => {
    await register();
    const before = await h.app.lifeline.store.load(CONF);
    const callback = conferenceCallback('participant-leave', participantFields(AGENT_CALL));
    for (const signature of [undefined, 'd3Jvbmc=']) {
      const headers: Record<string, string> = {
        'content-type': callback.headers['content-type'] ?? '',
      };
      if (signature !== undefined) headers['x-twilio-signature'] = signature;
      const response = await h.app.inject({
        method: 'POST',
        url: '/webhooks/conference-status',
        headers,
        payload: callback.payload,
      });
      expect(response.statusCode).toBe(403);
    }
    expect((await h.app.lifeline.store.load(CONF))?.version).toBe(before?.version);
  });

  it('answers 200 and learns an unknown conference from its first callback', async () => {
    const callback = conferenceCallback('participant-join', participantFields(CUSTOMER));
    const response = await h.app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: callback.headers,
      payload: callback.payload,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, outcome: 'applied' });
    const timeline = await h.app.lifeline.store.timeline(CONF);
    expect(timeline.map((entry) => entry.name)).toEqual([
      'conference.discovered',
      'participant.joined',
      'lookupCall',
    ]);
  });

  it('accepts every StatusCallbackEvent value', async () => {
    await register();
    const events = [
      'conference-start',
      'participant-join',
      'participant-mute',
      'participant-unmute',
      'participant-hold',
      'participant-unhold',
      'participant-modify',
      'participant-speech-start',
      'participant-speech-stop',
      'announcement-end',
      'announcement-fail',
      'participant-leave',
      'conference-end',
    ];
    for (const event of events) {
      const fields = event.startsWith('participant-') ? participantFields(CUSTOMER) : {};
      const callback = conferenceCallback(event, fields);
      const response = await h.app.inject({
        method: 'POST',
        url: '/webhooks/conference-status',
        headers: callback.headers,
        payload: callback.payload,
      });
      expect(response.statusCode, event).toBe(200);
    }
  });

  it('names the bad field with 400 and changes nothing', async () => {
    await register();
    const before = await h.app.lifeline.store.load(CONF);
    const callback = conferenceCallback('participant-leave', {
      ...participantFields(AGENT_CALL),
      Hold: 'maybe',
    });
    const response = await h.app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: callback.headers,
      payload: callback.payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'Hold' });
    expect((await h.app.lifeline.store.load(CONF))?.version).toBe(before?.version);
  });

  it('ignores a duplicate delivery and never moves back on a stale sequence number', async () => {
    await register();
    const leave = conferenceCallback(
      'participant-leave',
      participantFields(AGENT_CALL, { ReasonParticipantLeft: 'participant_hung_up' }),
    );
    const first = await h.app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: leave.headers,
      payload: leave.payload,
    });
    expect(first.json()).toMatchObject({ outcome: 'applied' });
    const stateAfter = await h.app.lifeline.store.load(CONF);
    const again = await h.app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: leave.headers,
      payload: leave.payload,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().outcome).toMatch(/duplicate|unchanged/);
    // A join of the agent that was sent before the leave arrives late: stale.
    const staleJoin = conferenceCallback('participant-join', {
      ...participantFields(AGENT_CALL),
      SequenceNumber: String(Number(leave.params['SequenceNumber']) - 1),
    });
    const stale = await h.app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: staleJoin.headers,
      payload: staleJoin.payload,
    });
    expect(stale.json()).toMatchObject({ outcome: 'unchanged' });
    const stateNow = await h.app.lifeline.store.load(CONF);
    expect(stateNow?.snapshot).toEqual(stateAfter?.snapshot);
  });

  it('answers 413 for an oversized body', async () => {
    const callback = conferenceCallback('participant-join', {
      ...participantFields(CUSTOMER),
      Padding: 'x'.repeat(70_000),
    });
    const response = await h.app.inject({
      method: 'POST',
      url: '/webhooks/conference-status',
      headers: callback.headers,
      payload: callback.payload,
    });
    expect(response.statusCode).toBe(413);
  });
});
