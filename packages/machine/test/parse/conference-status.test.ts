import { describe, expect, it } from 'vitest';
import type { FormFields } from '../../src/index.ts';
import { PayloadError, conferenceStatusEvents, parseConferenceStatus } from '../../src/index.ts';
import { CONF, CUSTOMER } from '../fixtures.ts';

/** A conference status callback as Twilio posts it (form fields, all strings). */
function callback(event: string, extra: FormFields = {}): FormFields {
  return {
    ConferenceSid: CONF,
    FriendlyName: 'WT00000000000000000000000000000001',
    AccountSid: 'AC00000000000000000000000000000001',
    SequenceNumber: '7',
    Timestamp: 'Wed, 25 Nov 2026 12:00:00 +0000',
    StatusCallbackEvent: event,
    ...(event.startsWith('participant-')
      ? {
          CallSid: CUSTOMER,
          Muted: 'false',
          Hold: 'false',
          Coaching: 'false',
          EndConferenceOnExit: 'false',
          StartConferenceOnEnter: 'true',
          ParticipantLabel: 'customer',
        }
      : {}),
    ...extra,
  };
}

function payloadErrorOf(fields: FormFields): PayloadError {
  try {
    parseConferenceStatus(fields);
  } catch (error) {
    if (error instanceof PayloadError) return error;
    throw error;
  }
  throw new Error('expected a PayloadError');
}

const at = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('parseConferenceStatus', () => {
  const expectedType: Record<(typeof conferenceStatusEvents)[number], string> = {
    'conference-start': 'conference.started',
    'conference-end': 'conference.ended',
    'participant-join': 'participant.joined',
    'participant-leave': 'participant.left',
    'participant-mute': 'participant.updated',
    'participant-unmute': 'participant.updated',
    'participant-hold': 'participant.updated',
    'participant-unhold': 'participant.updated',
    'participant-modify': 'participant.updated',
    'participant-speech-start': 'conference.noted',
    'participant-speech-stop': 'conference.noted',
    'announcement-end': 'conference.noted',
    'announcement-fail': 'conference.noted',
  };

  it.each(conferenceStatusEvents)('reads %s', (name) => {
    const parsed = parseConferenceStatus(callback(name));
    expect(parsed.conferenceSid).toBe(CONF);
    expect(parsed.statusCallbackEvent).toBe(name);
    expect(parsed.friendlyName).toBe('WT00000000000000000000000000000001');
    expect(parsed.event).toMatchObject({ type: expectedType[name], seq: 7, at });
  });

  it('reads a participant leave with its reason and flags', () => {
    const { event } = parseConferenceStatus(
      callback('participant-leave', {
        ReasonParticipantLeft: 'participant_hung_up',
        EndConferenceOnExit: 'true',
        Hold: 'true',
      }),
    );
    expect(event).toEqual({
      type: 'participant.left',
      at,
      seq: 7,
      callSid: CUSTOMER,
      label: 'customer',
      endConferenceOnExit: true,
      hold: true,
      muted: false,
      coaching: false,
      reason: 'participant_hung_up',
    });
  });

  it('names the change of a participant update', () => {
    expect(parseConferenceStatus(callback('participant-hold')).event).toMatchObject({
      change: 'hold',
    });
    expect(parseConferenceStatus(callback('participant-modify')).event).toMatchObject({
      change: 'modify',
    });
  });

  it('reads the conference end reason, and a noted event by name', () => {
    const ended = parseConferenceStatus(
      callback('conference-end', {
        ReasonConferenceEnded: 'last-participant-left',
        CallSidEndingConference: CUSTOMER,
      }),
    );
    expect(ended.event).toEqual({
      type: 'conference.ended',
      at,
      seq: 7,
      reason: 'last-participant-left',
      callSidEnding: CUSTOMER,
    });
    expect(parseConferenceStatus(callback('announcement-end')).event).toEqual({
      type: 'conference.noted',
      at,
      seq: 7,
      event: 'announcement-end',
    });
  });

  it('reads booleans "true" and "false", and defaults absent ones to false', () => {
    const read = (value: string | undefined) =>
      parseConferenceStatus(callback('participant-join', { EndConferenceOnExit: value })).event;
    expect(read('true')).toMatchObject({ endConferenceOnExit: true });
    expect(read('false')).toMatchObject({ endConferenceOnExit: false });
    expect(read(undefined)).toMatchObject({ endConferenceOnExit: false });
  });

  it('takes an empty label as none', () => {
    const { event } = parseConferenceStatus(callback('participant-join', { ParticipantLabel: '' }));
    expect(event).toMatchObject({ label: null });
  });

  it.each<[string, FormFields]>([
    ['ConferenceSid', { ConferenceSid: undefined }],
    ['ConferenceSid', { ConferenceSid: 'CF123' }],
    ['ConferenceSid', { ConferenceSid: CUSTOMER }],
    ['StatusCallbackEvent', { StatusCallbackEvent: 'participant-dance' }],
    ['StatusCallbackEvent', { StatusCallbackEvent: undefined }],
    ['SequenceNumber', { SequenceNumber: undefined }],
    ['SequenceNumber', { SequenceNumber: 'seven' }],
    ['SequenceNumber', { SequenceNumber: '-1' }],
    ['SequenceNumber', { SequenceNumber: '1.5' }],
    ['Timestamp', { Timestamp: undefined }],
    ['Timestamp', { Timestamp: 'yesterday' }],
    ['CallSid', { CallSid: undefined }],
    ['CallSid', { CallSid: CONF }],
    ['EndConferenceOnExit', { EndConferenceOnExit: 'yes' }],
    ['EndConferenceOnExit', { EndConferenceOnExit: 'TRUE' }],
    ['Hold', { Hold: '1' }],
    ['CallSid', { CallSid: [CUSTOMER, CUSTOMER] }],
  ])('rejects a malformed %s', (field, extra) => {
    const error = payloadErrorOf(callback('participant-leave', extra));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });
});
