import type { JsonObject, ReservationAccepted } from '@lifeline/machine';
import { readLifelineTag } from '@lifeline/machine';
import type { Twilio } from 'twilio';
import { ACCEPTED_STATUSES, lookupTaskAssignment } from '../twilio/task-assignment.ts';
import { ForbiddenError } from './flex-auth.ts';

export interface PingAcceptedClaim {
  conferenceSid: string;
  workerSid: string;
  taskSid: string;
  reservationSid: string;
  /** When the server heard it: the event's time. */
  at: number;
}

function parsedAttributes(text: string): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as JsonObject)
      : null;
  } catch {
    return null;
  }
}

/**
 * The plugin says its agent accepted the Recovery Ping: believed only as TaskRouter tells it.
 * The task is a ping of this conference (its attributes as TaskRouter holds them, not as the
 * browser sent them) and the named reservation on it is the worker's and accepted. Then the
 * event is the one Event Streams would deliver (seconds later, in a mass disconnect), built
 * from TaskRouter's own answer. Throws ForbiddenError (403, nothing changes) or
 * TwilioUnavailableError (503).
 */
export async function provePingAccepted(
  client: Twilio,
  workspaceSid: string,
  claim: PingAcceptedClaim,
): Promise<ReservationAccepted> {
  const assignment = await lookupTaskAssignment(client, workspaceSid, claim.taskSid);
  // One message for every refusal: a refusal must not tell which part was wrong.
  const refuse = () => new ForbiddenError('TaskRouter does not confirm this ping acceptance');
  if (assignment === null) throw refuse();
  const attributes = parsedAttributes(assignment.attributes);
  const lifeline = attributes === null ? null : readLifelineTag(attributes);
  if (attributes === null || lifeline?.kind !== 'ping') throw refuse();
  if (lifeline.conferenceSid !== claim.conferenceSid) throw refuse();
  const accepted = assignment.reservations.some(
    (reservation) =>
      reservation.sid === claim.reservationSid &&
      reservation.workerSid === claim.workerSid &&
      ACCEPTED_STATUSES.includes(reservation.status),
  );
  if (!accepted) throw refuse();
  return {
    type: 'reservation.accepted',
    at: claim.at,
    taskSid: assignment.taskSid,
    attributes,
    lifeline,
    reservationSid: claim.reservationSid,
    workerSid: claim.workerSid,
  };
}
