import type { Twilio } from 'twilio';
import { TwilioUnavailableError } from './client.ts';

export interface TaskReservation {
  sid: string;
  workerSid: string;
  status: string;
}

export interface TaskAssignment {
  taskSid: string;
  assignmentStatus: string;
  reservations: TaskReservation[];
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/** Twilio answered 4xx: a definite "no". Anything else (network, timeout, 5xx, 429): unknown. */
function definite(error: unknown): boolean {
  const status = statusOf(error);
  return status !== null && status >= 400 && status < 500 && status !== 429;
}

/**
 * A task and every reservation on it, from TaskRouter; null when the workspace has no such
 * task. Throws TwilioUnavailableError when TaskRouter cannot be asked.
 */
export async function lookupTaskAssignment(
  client: Twilio,
  workspaceSid: string,
  taskSid: string,
): Promise<TaskAssignment | null> {
  const task = client.taskrouter.v1.workspaces(workspaceSid).tasks(taskSid);
  try {
    const [fetched, reservations] = await Promise.all([task.fetch(), task.reservations.list()]);
    return {
      taskSid: fetched.sid,
      assignmentStatus: fetched.assignmentStatus,
      reservations: reservations.map((reservation) => ({
        sid: reservation.sid,
        workerSid: reservation.workerSid,
        status: reservation.reservationStatus,
      })),
    };
  } catch (error) {
    if (definite(error)) return null;
    throw new TwilioUnavailableError('task lookup', error);
  }
}

/** The conference's FriendlyName (Flex names it after the task SID); null when unknown. */
export async function conferenceFriendlyName(
  client: Twilio,
  conferenceSid: string,
): Promise<string | null> {
  try {
    return (await client.conferences(conferenceSid).fetch()).friendlyName;
  } catch (error) {
    if (definite(error)) return null;
    throw new TwilioUnavailableError('conference lookup', error);
  }
}
