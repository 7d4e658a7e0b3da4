import type { Twilio } from 'twilio';
import { conferenceFriendlyName, lookupTaskAssignment } from '../twilio/task-assignment.ts';
import { ForbiddenError } from './flex-auth.ts';

/** Reservation states in which the worker holds the task's call (or has just left it). */
const HOLDING = new Set(['accepted', 'wrapping']);

export interface RegistrationClaim {
  conferenceSid: string;
  taskSid: string;
  workerSid: string;
  reservationSid: string;
}

/**
 * A registration is believed only when TaskRouter agrees with it: the conference is the
 * task's (Flex names it after the task SID), and the worker holds the named reservation on
 * that task. Otherwise anyone knowing a conference SID could overwrite its call SIDs and
 * attributes, read its stream and leave the real agent's drop unrecovered. Throws
 * ForbiddenError (403, nothing changes) or TwilioUnavailableError (503).
 */
export async function proveRegistration(
  client: Twilio,
  workspaceSid: string,
  claim: RegistrationClaim,
): Promise<void> {
  const [friendlyName, assignment] = await Promise.all([
    conferenceFriendlyName(client, claim.conferenceSid),
    lookupTaskAssignment(client, workspaceSid, claim.taskSid),
  ]);
  // One message for every refusal: a refusal must not tell which part was wrong.
  const refuse = () => new ForbiddenError('TaskRouter does not confirm this registration');
  if (friendlyName !== claim.taskSid || assignment === null) throw refuse();
  const held = assignment.reservations.some(
    (reservation) =>
      reservation.sid === claim.reservationSid &&
      reservation.workerSid === claim.workerSid &&
      HOLDING.has(reservation.status),
  );
  if (!held) throw refuse();
}
