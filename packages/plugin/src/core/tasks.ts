import type { JsonObject } from '@lifeline/machine';

/**
 * What Lifeline needs to know about a Flex task, in plain data: the adapter builds these
 * from Flex's ITask, the simulator's agents from their own reservations.
 */
export interface ParticipantView {
  /** Flex's participantType: customer, worker, external, transfer, supervisor, unknown. */
  type: string;
  callSid: string | null;
  workerSid: string | null;
  /** joined, left, recently_left. */
  status: string;
}

export interface ConferenceView {
  conferenceSid: string;
  liveParticipantCount: number;
  participants: ParticipantView[];
}

export interface TaskView {
  taskSid: string;
  reservationSid: string;
  /** The reservation's status: pending, accepted, wrapping, completed, canceled, ... */
  status: string;
  isCall: boolean;
  workflowSid: string;
  attributes: JsonObject;
  conference: ConferenceView | null;
}

export interface WorkerView {
  workerSid: string;
  workerName: string;
}

export const isWrappingCall = (task: TaskView) => task.isCall && task.status === 'wrapping';

/** A call this worker is on right now: its page going away drops the agent's leg. */
export function isLiveCall(task: TaskView, workerSid: string): boolean {
  if (!task.isCall || task.status !== 'accepted' || task.conference === null) return false;
  const mine = task.conference.participants.filter(
    (p) => p.type === 'worker' && p.workerSid === workerSid,
  );
  // Before Flex has seen our own leg join, an accepted call is still live for us. A worker
  // can also have an older leg that left (a reconnect): the joined one counts.
  return mine.length === 0 || mine.some((p) => p.status === 'joined');
}
