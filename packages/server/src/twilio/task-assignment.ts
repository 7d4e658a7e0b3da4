import type { JsonObject, LifelineTag, TaskKind } from '@lifeline/machine';
import { isJsonObject, readLifelineTag } from '@lifeline/machine';
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

/**
 * The first of a recovery's own tasks in one of `statuses`, found by the tag Lifeline put in
 * its attributes (AssignmentStatus is a list parameter: one request covers them all); null
 * when there is none. Errors are TaskRouter's own.
 */
export async function firstRecoveryTask(
  client: Twilio,
  workspaceSid: string,
  recoveryId: string,
  kind: TaskKind,
  statuses: string[],
): Promise<TaskInstance | null> {
  const expression = `lifeline.recoveryId == "${recoveryId}" AND lifeline.kind == "${kind}"`;
  const tasks = await client.taskrouter.v1.workspaces(workspaceSid).tasks.list({
    evaluateTaskAttributes: expression,
    assignmentStatus: statuses,
    limit: 1,
  });
  return tasks[0] ?? null;
}

/**
 * A task's attributes as TaskRouter holds them (JSON text) and the tag Lifeline put in them,
 * as an Event Streams event carries both; null when they are no JSON object or carry no tag.
 */
export function taggedAttributes(
  text: string,
): { attributes: JsonObject; lifeline: LifelineTag } | null {
  let attributes: unknown;
  try {
    attributes = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isJsonObject(attributes)) return null;
  const lifeline = readLifelineTag(attributes);
  return lifeline === null ? null : { attributes, lifeline };
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
