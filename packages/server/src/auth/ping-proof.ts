import type { ReservationAccepted } from '@lifeline/machine';
import type { Twilio } from 'twilio';
import { lookupTask, taggedAttributes } from '../twilio/task-assignment.ts';
import { ForbiddenError } from './flex-auth.ts';

export interface PingAcceptedClaim {
  conferenceSid: string;
  workerSid: string;
  taskSid: string;
  reservationSid: string;
  /** When the server heard it: the event's time. */
  at: number;
}

/** A task past its reservation's accept: assigned, then wrapping, then completed. */
const ACCEPTED_TASK = new Set(['assigned', 'wrapping', 'completed']);

/**
 * The plugin says its agent accepted the Recovery Ping: believed only as TaskRouter tells it,
 * in one request (a mass disconnect has every agent say it at once, under Twilio's cap). The
 * task, as TaskRouter holds it and not as the browser sent it, is a ping of this conference
 * for this worker, and it has been accepted: the Recovery Ping workflow offers a ping to the
 * worker it names and no one else (README, TaskRouter set-up). Then the event is the one
 * Event Streams would deliver (seconds later, in a mass disconnect), built from TaskRouter's
 * own answer. Throws ForbiddenError (403, nothing changes) or TwilioUnavailableError (503).
 */
export async function provePingAccepted(
  client: Twilio,
  workspaceSid: string,
  claim: PingAcceptedClaim,
): Promise<ReservationAccepted> {
  const task = await lookupTask(client, workspaceSid, claim.taskSid);
  // One message for every refusal: a refusal must not tell which part was wrong.
  const refuse = () => new ForbiddenError('TaskRouter does not confirm this ping acceptance');
  if (task === null || !ACCEPTED_TASK.has(task.assignmentStatus)) throw refuse();
  const tagged = taggedAttributes(task.attributes);
  if (tagged === null || tagged.lifeline.kind !== 'ping') throw refuse();
  if (tagged.lifeline.conferenceSid !== claim.conferenceSid) throw refuse();
  if (tagged.attributes['disconnectedWorkerSid'] !== claim.workerSid) throw refuse();
  return {
    type: 'reservation.accepted',
    at: claim.at,
    taskSid: task.taskSid,
    ...tagged,
    reservationSid: claim.reservationSid,
    workerSid: claim.workerSid,
  };
}
