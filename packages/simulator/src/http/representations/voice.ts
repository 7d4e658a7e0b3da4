import { rfc2822, rfc2822OrNull } from '../../dates.ts';
import type { JsonObject } from '../../json.ts';
import type { CallRecord, ConferenceRecord, ParticipantRecord } from '../../world/records.ts';

const base = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}`;

/** api.v2010.account.conference */
export function conferenceJson(accountSid: string, c: ConferenceRecord): JsonObject {
  const uri = `${base(accountSid)}/Conferences/${c.sid}`;
  return {
    account_sid: accountSid,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateUpdated),
    api_version: '2010-04-01',
    friendly_name: c.friendlyName,
    region: 'us1',
    sid: c.sid,
    status: c.status,
    uri: `${uri}.json`,
    subresource_uris: {
      participants: `${uri}/Participants.json`,
      recordings: `${uri}/Recordings.json`,
    },
    reason_conference_ended: c.reasonConferenceEnded,
    call_sid_ending_conference: c.callSidEndingConference,
  };
}

/** api.v2010.account.conference.participant */
export function participantJson(accountSid: string, p: ParticipantRecord): JsonObject {
  return {
    account_sid: accountSid,
    call_sid: p.callSid,
    label: p.label,
    call_sid_to_coach: p.callSidToCoach,
    coaching: p.coaching,
    conference_sid: p.conferenceSid,
    date_created: rfc2822(p.dateCreated),
    date_updated: rfc2822(p.dateUpdated),
    end_conference_on_exit: p.endConferenceOnExit,
    muted: p.muted,
    hold: p.hold,
    start_conference_on_enter: p.startConferenceOnEnter,
    status: p.status,
    queue_time: '0',
    uri: `${base(accountSid)}/Conferences/${p.conferenceSid}/Participants/${p.callSid}.json`,
  };
}

/** api.v2010.account.call */
export function callJson(accountSid: string, c: CallRecord): JsonObject {
  const uri = `${base(accountSid)}/Calls/${c.sid}`;
  const duration =
    c.startTime !== null && c.endTime !== null
      ? String(Math.round((c.endTime - c.startTime) / 1000))
      : null;
  return {
    sid: c.sid,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateUpdated),
    parent_call_sid: c.parentCallSid,
    account_sid: accountSid,
    to: c.to,
    to_formatted: c.to,
    from: c.from,
    from_formatted: c.from,
    phone_number_sid: null,
    status: c.status,
    start_time: rfc2822OrNull(c.startTime),
    end_time: rfc2822OrNull(c.endTime),
    duration,
    price: null,
    price_unit: 'USD',
    direction: c.direction,
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${uri}.json`,
    subresource_uris: {
      notifications: `${uri}/Notifications.json`,
      recordings: `${uri}/Recordings.json`,
      events: `${uri}/Events.json`,
      siprec: `${uri}/Siprec.json`,
      streams: `${uri}/Streams.json`,
      transcriptions: `${uri}/Transcriptions.json`,
      user_defined_message_subscriptions: `${uri}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${uri}/UserDefinedMessages.json`,
      payments: `${uri}/Payments.json`,
    },
  };
}
