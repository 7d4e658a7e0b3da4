import type { ConferenceView, ParticipantView, TaskView } from 'plugin-lifeline/core';
import { parseJsonObject } from '@lifeline/simulator/model';
import type { ReservationRecord, World } from '@lifeline/simulator/model';

/**
 * What Flex would show the plugin about a task, built from the simulated account: the
 * plugin's core reads these plain views (the browser adapter builds the same from Flex's
 * ITask). Flex lists a task by its reservation, so the status is the reservation's.
 */

/** Reservations Flex keeps in the worker's task list (workerClient.reservations). */
export const heldStatuses: readonly string[] = ['pending', 'accepted', 'wrapping'];

/**
 * A conference as Flex shows it in the task: the participants now in it, typed the way Flex
 * types them (the worker's own legs by the TaskRouter leg that dialled them), plus the given
 * agent legs that already left, which Flex keeps listed as `left`.
 */
export function conferenceView(
  world: World,
  conferenceSid: string,
  ownLegs: readonly string[],
): ConferenceView | null {
  const conference = world.conferences.get(conferenceSid);
  if (conference === undefined) return null;
  const participants: ParticipantView[] = [...conference.participants.values()].map((p) => {
    const agentLeg = world.taskrouter.agentLegs.get(p.callSid);
    const type =
      agentLeg !== undefined ? 'worker' : p.label === 'customer' ? 'customer' : 'external';
    return {
      type,
      callSid: p.callSid,
      workerSid: agentLeg?.workerSid ?? null,
      status: p.status === 'connected' ? 'joined' : p.status,
    };
  });
  for (const callSid of ownLegs) {
    const leg = world.taskrouter.agentLegs.get(callSid);
    if (leg === undefined || conference.participants.has(callSid)) continue;
    participants.push({ type: 'worker', callSid, workerSid: leg.workerSid, status: 'left' });
  }
  return {
    conferenceSid,
    liveParticipantCount: participants.filter((p) => p.status === 'joined').length,
    participants,
  };
}

/** The conference Flex attaches to a task: the one the agent was connected in, else its live one. */
function conferenceSidOf(world: World, taskSid: string, known: string | null): string | null {
  return known ?? world.conferences.liveByName(taskSid)?.sid ?? null;
}

export interface TaskViewInput {
  reservation: ReservationRecord;
  /** The conference the agent was connected in, once known. */
  conferenceSid?: string | null;
  /** The agent's own legs for this task (to list those that left). */
  ownLegs?: readonly string[];
}

export function taskView(world: World, input: TaskViewInput): TaskView | null {
  const { reservation } = input;
  const task = world.taskrouter.tasks.get(reservation.taskSid);
  if (task === undefined) return null;
  const channel = world.taskrouter.workspace.channel(task.taskChannelSid)?.uniqueName;
  const isCall = channel === 'voice';
  const conferenceSid = isCall
    ? conferenceSidOf(world, task.sid, input.conferenceSid ?? null)
    : null;
  return {
    taskSid: task.sid,
    reservationSid: reservation.sid,
    status: reservation.status,
    isCall,
    workflowSid: task.workflowSid,
    attributes: parseJsonObject(task.attributes) ?? {},
    conference:
      conferenceSid === null ? null : conferenceView(world, conferenceSid, input.ownLegs ?? []),
  };
}
