import type { JsonObject } from '@lifeline/machine';
import { isJsonObject } from '@lifeline/machine';
import type { ConferenceView, TaskView, WorkerView } from '../core/index.ts';
import type { FlexApi, FlexConference, FlexManager, FlexReservation, FlexTask } from './types.ts';

/** Turns Flex objects into the core's plain views. */

function attributesOf(raw: unknown): JsonObject {
  if (isJsonObject(raw)) return raw;
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isJsonObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return {};
}

function conferenceOf(conference: FlexConference | undefined): ConferenceView | null {
  if (conference === undefined || !conference.conferenceSid) return null;
  return {
    conferenceSid: conference.conferenceSid,
    liveParticipantCount: conference.liveParticipantCount,
    participants: conference.participants.map((p) => ({
      type: p.participantType ?? 'unknown',
      callSid: p.callSid ?? null,
      workerSid: p.workerSid ?? null,
      status: p.status ?? 'unknown',
    })),
  };
}

/** Reads every field at the time of the call: ITask's status and conference are live getters. */
export function taskView(flex: FlexApi, task: FlexTask): TaskView {
  return {
    taskSid: task.taskSid,
    reservationSid: task.sid,
    status: task.status,
    isCall: flex.TaskHelper.isCallTask(task),
    workflowSid: task.workflowSid ?? '',
    attributes: attributesOf(task.attributes),
    conference: conferenceOf(task.conference),
  };
}

/**
 * The task as Flex's store holds it now (its conference fills in after accept). Flex keys
 * its tasks by RESERVATION SID: `TaskHelper.getTaskByTaskSid` takes one despite its name
 * (typings TaskHelper.d.ts: "Returns task by reservation sid"); a task SID finds nothing.
 */
export function readTaskView(flex: FlexApi, reservationSid: string): TaskView | null {
  const task = flex.TaskHelper.getTaskByTaskSid(reservationSid);
  return task ? taskView(flex, task) : null;
}

/** A reservation the workerClient just handed over, before Flex's store may have its task. */
export function reservationView(flex: FlexApi, reservation: FlexReservation): TaskView {
  const known = flex.TaskHelper.getTaskByTaskSid(reservation.sid);
  if (known) return taskView(flex, known);
  return {
    taskSid: reservation.task.sid,
    reservationSid: reservation.sid,
    status: reservation.status,
    isCall: reservation.task.taskChannelUniqueName === 'voice',
    workflowSid: reservation.task.workflowSid ?? '',
    attributes: attributesOf(reservation.task.attributes),
    conference: null,
  };
}

/**
 * The task of an action payload. Flex's payload update functions put the ITask into
 * `payload.task` before any listener runs (bundle `updateWorkerActionPayload`,
 * `updateVoiceActionPayload`), from `payload.sid`, which is a RESERVATION SID.
 */
export function payloadTask(flex: FlexApi, payload: unknown): FlexTask | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as { task?: FlexTask; sid?: unknown };
  if (p.task && typeof p.task.taskSid === 'string') return p.task;
  return typeof p.sid === 'string' ? (flex.TaskHelper.getTaskByTaskSid(p.sid) ?? null) : null;
}

export function workerView(manager: FlexManager): WorkerView {
  const client = manager.workerClient;
  const attributes = attributesOf(client?.attributes);
  const fullName = attributes['full_name'];
  return {
    workerSid: client?.sid ?? '',
    workerName: typeof fullName === 'string' ? fullName : (client?.name ?? ''),
  };
}

/** The agent's Flex token: the SSO session's when there is one, else the user's. */
export function tokenOf(manager: FlexManager): string | null {
  const state = manager.store.getState() as {
    flex?: { session?: { ssoTokenPayload?: { token?: unknown } } };
  };
  const sso = state.flex?.session?.ssoTokenPayload?.token;
  if (typeof sso === 'string' && sso !== '') return sso;
  return manager.user?.token ?? null;
}

/** Every task the worker holds, through Flex's store (its ITask carries the conference). */
export function workerTasks(flex: FlexApi, manager: FlexManager): TaskView[] {
  const reservations = [...(manager.workerClient?.reservations.values() ?? [])];
  return reservations.map((reservation) => reservationView(flex, reservation));
}
