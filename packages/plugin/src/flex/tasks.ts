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

/** The task as Flex's store holds it now (its conference fills in after accept). */
export function readTaskView(flex: FlexApi, taskSid: string): TaskView | null {
  const task = flex.TaskHelper.getTaskByTaskSid(taskSid);
  return task ? taskView(flex, task) : null;
}

/** A reservation the workerClient just handed over, before Flex's store may have its task. */
export function reservationView(flex: FlexApi, reservation: FlexReservation): TaskView {
  const known = flex.TaskHelper.getTaskByTaskSid(reservation.task.sid);
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

/** Action payloads carry `task` (an ITask) or only `sid`/`taskSid`; Flex accepts both. */
export function payloadTask(flex: FlexApi, payload: unknown): FlexTask | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as { task?: FlexTask; taskSid?: unknown; sid?: unknown };
  if (p.task && typeof p.task.taskSid === 'string') return p.task;
  const sid = typeof p.taskSid === 'string' ? p.taskSid : typeof p.sid === 'string' ? p.sid : null;
  if (sid === null) return null;
  // Flex resolves a reservation SID into payload.task before listeners run; a task SID we look up.
  return flex.TaskHelper.getTaskByTaskSid(sid) ?? null;
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
