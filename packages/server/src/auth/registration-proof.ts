import type { Twilio } from 'twilio';
import { conferenceFriendlyName, lookupTaskAssignment } from '../twilio/task-assignment.ts';
import { ForbiddenError } from './flex-auth.ts';

/** Reservation states in which the worker holds the task's call (or has just left it). */
const HOLDING = new Set(['accepted', 'wrapping']);

/**
 * A transfer's task names the conference it joins: Flex writes `conference.sid` into the
 * new task's attributes, and the target agent joins the existing conference, which keeps
 * the FriendlyName of the call's first task.
 */
function namesConference(attributes: string, conferenceSid: string): boolean {
  try {
    const parsed: unknown = JSON.parse(attributes);
    const conference = (parsed as { conference?: { sid?: unknown } } | null)?.conference;
    return conference?.sid === conferenceSid;
  } catch {
    return false;
  }
}

export interface RegistrationClaim {
  conferenceSid: string;
  taskSid: string;
  workerSid: string;
  reservationSid: string;
}

/**
 * A registration is believed only when TaskRouter agrees with it: the conference is the
 * task's (Flex names it after the task SID, or a transfer's task names the conference), and
 * the worker holds the named reservation on that task. Otherwise anyone knowing a conference SID could overwrite its call SIDs and
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
  if (friendlyName === null || assignment === null) throw refuse();
  const ownConference =
    friendlyName === claim.taskSid ||
    (/^WT[0-9a-fA-F]{32}$/.test(friendlyName) &&
      namesConference(assignment.attributes, claim.conferenceSid));
  if (!ownConference) throw refuse();
  const held = assignment.reservations.some(
    (reservation) =>
      reservation.sid === claim.reservationSid &&
      reservation.workerSid === claim.workerSid &&
      HOLDING.has(reservation.status),
  );
  if (!held) throw refuse();
}
