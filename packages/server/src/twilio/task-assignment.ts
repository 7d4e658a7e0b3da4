import type { Twilio } from 'twilio';
import type { TaskInstance } from 'twilio/lib/rest/taskrouter/v1/workspace/task.js';
import { TwilioUnavailableError } from './client.ts';

/**
 * The one TaskRouter lookup of a task and who holds it. Both ways the server learns a call
 * use it: the lookupCall effect (the conference's FriendlyName is the task) and the proof of
 * a plugin's registration (auth/registration-proof.ts).
 */

export interface TaskReservation {
  sid: string;
  workerSid: string;
  workerName: string;
  status: string;
}

export interface TaskAssignment {
  taskSid: string;
  assignmentStatus: string;
  workflowSid: string;
  /** The task's attributes as TaskRouter holds them (JSON text). */
  attributes: string;
  reservations: TaskReservation[];
}

/** Reservation states of a worker who took the call: on it, wrapping it up, or done with it. */
export const ACCEPTED_STATUSES: readonly string[] = ['accepted', 'wrapping', 'completed'];

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/** Twilio answered 4xx: a definite "no". Anything else (network, timeout, 5xx, 429): unknown. */
function definite(error: unknown): boolean {
  const status = statusOf(error);
  return status !== null && status >= 400 && status < 500 && status !== 429;
}

export type TaskState = Omit<TaskAssignment, 'reservations'>;

function taskState(fetched: TaskInstance): TaskState {
  return {
    taskSid: fetched.sid,
    assignmentStatus: fetched.assignmentStatus,
    workflowSid: fetched.workflowSid,
    attributes: fetched.attributes,
  };
}

/** TaskRouter's answer, or null for a definite "no such task"; else TwilioUnavailableError. */
async function asked<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (definite(error)) return null;
    throw new TwilioUnavailableError('task lookup', error);
  }
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
  const found = await asked(Promise.all([task.fetch(), task.reservations.list({ limit: 50 })]));
  if (found === null) return null;
  const [fetched, reservations] = found;
  return {
    ...taskState(fetched),
    reservations: reservations.map((reservation) => ({
      sid: reservation.sid,
      workerSid: reservation.workerSid,
      workerName: reservation.workerName,
      status: reservation.reservationStatus,
    })),
  };
}

/**
 * A task alone, from TaskRouter (one request: no reservations); null when the workspace has
 * no such task. Throws TwilioUnavailableError when TaskRouter cannot be asked.
 */
export async function lookupTask(
  client: Twilio,
  workspaceSid: string,
  taskSid: string,
): Promise<TaskState | null> {
  const fetched = await asked(client.taskrouter.v1.workspaces(workspaceSid).tasks(taskSid).fetch());
  return fetched === null ? null : taskState(fetched);
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
