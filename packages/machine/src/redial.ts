import type { ConferenceEvent, RedialEvent } from './events.ts';
import type { RecoverySnapshot } from './step.ts';
import { stateName } from './step.ts';
import { isJsonObject } from './json.ts';

/**
 * Re-dials across conferences: a participant callback of a new conference becomes an event
 * for the old conference's recovery that waits for it. Pure: the server finds the old
 * conference (its redial index) and delivers the event.
 */

/** The redial event a new conference's callback means, or null (only joins and leaves count). */
export function redialEventOf(conferenceSid: string, event: ConferenceEvent): RedialEvent | null {
  if (event.type === 'participant.joined') {
    return {
      type: 'redial.partyJoined',
      at: event.at,
      conferenceSid,
      seq: event.seq,
      callSid: event.callSid,
      hold: event.hold,
    };
  }
  if (event.type === 'participant.left') {
    return {
      type: 'redial.partyLeft',
      at: event.at,
      conferenceSid,
      seq: event.seq,
      callSid: event.callSid,
      reason: event.reason,
    };
  }
  return null;
}

/** A redial event read back from storage, checked field by field; null when it is not one. */
export function readRedialEvent(value: unknown): RedialEvent | null {
  if (!isJsonObject(value)) return null;
  const { type, at, conferenceSid, seq, callSid } = value;
  if (
    typeof at !== 'number' ||
    typeof conferenceSid !== 'string' ||
    typeof seq !== 'number' ||
    typeof callSid !== 'string'
  ) {
    return null;
  }
  if (type === 'redial.partyJoined' && typeof value['hold'] === 'boolean') {
    return { type, at, conferenceSid, seq, callSid, hold: value['hold'] };
  }
  const reason = value['reason'];
  if (type === 'redial.partyLeft' && (reason === null || typeof reason === 'string')) {
    return { type, at, conferenceSid, seq, callSid, reason };
  }
  return null;
}

/**
 * The new conference's name a snapshot's re-dial waits for (re-dialing, or asking Twilio where
 * the customer is), or null when it is not re-dialing.
 */
export function redialingInto(snapshot: RecoverySnapshot): string | null {
  const state = stateName(snapshot);
  if (state !== 'redialing' && state !== 'locating') return null;
  return snapshot.context.recovery?.newConferenceName ?? null;
}
