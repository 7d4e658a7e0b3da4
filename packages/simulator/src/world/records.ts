import type { Timer } from '../clock.ts';
import type { Verb } from '../twiml.ts';

// ---------- Voice ----------

export type CallStatus =
  'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export const endedCallStatuses: readonly CallStatus[] = [
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
];

/** Who is on the call: the tests ask what the customer heard, and whether they heard the agent. */
export type Party =
  | { kind: 'customer' }
  | { kind: 'agent'; workerSid: string; workerName: string }
  | { kind: 'external' };

/** Where a live call is. */
export type Place =
  | { kind: 'idle' }
  | { kind: 'ringing' }
  | { kind: 'playing'; what: string; timer: Timer }
  | { kind: 'conference'; conferenceSid: string }
  | { kind: 'queue'; taskSid: string; waitUrl: string }
  | { kind: 'ended' };

/** One run of an <Enqueue> verb: what its action request reports when the call leaves it. */
export interface EnqueueRun {
  /** The queue's stable QU SID (one per workflow). */
  queueSid: string;
  enteredAt: number;
  /** When the conference instruction bridged the call out of the queue; null while it waits. */
  bridgedAt: number | null;
}

export interface StatusCallback {
  url: string;
  method: string;
  events: string[];
}

export interface CallRecord {
  sid: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-dial';
  parentCallSid: string | null;
  status: CallStatus;
  dateCreated: number;
  dateUpdated: number;
  startTime: number | null;
  endTime: number | null;
  party: Party;
  place: Place;
  /** The TwiML the call runs; `pc` is the verb running now. */
  program: Verb[];
  pc: number;
  /**
   * The <Enqueue> at `pc` since the call entered its queue; null once its action was requested
   * (at most once per run) or the call went past it.
   */
  enqueued: EnqueueRun | null;
  /** Call progress callbacks (participant create's StatusCallback). */
  statusCallback: StatusCallback | null;
}

export type ConferenceStatus = 'init' | 'in-progress' | 'completed';

export type ParticipantStatus =
  'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';

export interface ParticipantRecord {
  callSid: string;
  conferenceSid: string;
  label: string | null;
  muted: boolean;
  hold: boolean;
  holdUrl: string | null;
  coaching: boolean;
  callSidToCoach: string | null;
  endConferenceOnExit: boolean;
  startConferenceOnEnter: boolean;
  beepOnExit: boolean;
  status: ParticipantStatus;
  dateCreated: number;
  dateUpdated: number;
  /** The announcement this participant hears now, if any. */
  hearing: { url: string; until: number } | null;
}

export interface ConferenceCallback {
  url: string;
  method: string;
  /** Subscribed statusCallbackEvent words: start end join leave mute hold modify speaker announcement. */
  events: string[];
}

export interface ConferenceRecord {
  sid: string;
  friendlyName: string;
  status: ConferenceStatus;
  dateCreated: number;
  dateUpdated: number;
  /** Participants in the conference now (connected, or being dialed by the API). */
  participants: Map<string, ParticipantRecord>;
  /** Fixed by the first participant to join; null when it set none. */
  callback: ConferenceCallback | null;
  callbackFixed: boolean;
  reasonConferenceEnded: string | null;
  callSidEndingConference: string | null;
}

// ---------- TaskRouter ----------

export type TaskStatus =
  'pending' | 'reserved' | 'assigned' | 'canceled' | 'completed' | 'wrapping';

export type ReservationStatus =
  | 'pending'
  | 'accepted'
  | 'rejected'
  | 'timeout'
  | 'canceled'
  | 'rescinded'
  | 'wrapping'
  | 'completed';

export interface ActivityRecord {
  sid: string;
  friendlyName: string;
  available: boolean;
}

export interface TaskChannelRecord {
  sid: string;
  uniqueName: string;
  friendlyName: string;
}

export interface WorkerRecord {
  sid: string;
  friendlyName: string;
  /** JSON text, as the API carries it. */
  attributes: string;
  activitySid: string;
  /** Capacity per task channel unique name; a channel not listed has capacity 1. */
  capacity: Record<string, number>;
  dateCreated: number;
  dateUpdated: number;
  dateStatusChanged: number;
  /** When the worker last got a reservation: the longest-idle eligible worker is offered first. */
  lastReservedAt: number;
}

export interface TaskQueueRecord {
  sid: string;
  friendlyName: string;
  targetWorkers: string;
  taskOrder: 'FIFO' | 'LIFO';
  maxReservedWorkers: number;
  dateCreated: number;
  dateUpdated: number;
}

export interface WorkflowRecord {
  sid: string;
  friendlyName: string;
  /** JSON text of the routing configuration. */
  configuration: string;
  /** Seconds, as the API has it. */
  taskReservationTimeout: number;
  assignmentCallbackUrl: string | null;
  fallbackAssignmentCallbackUrl: string | null;
  dateCreated: number;
  dateUpdated: number;
}

/** Where the task is in its workflow: which filter, which target, and who turned it down. */
export interface RoutingState {
  filterIndex: number | null;
  targetIndex: number;
  targetTimer: Timer | null;
  /** The current target's timeout passed while a worker was deciding. */
  targetExpired: boolean;
  /** Workers who rejected this task: not offered it again. */
  rejectedBy: Set<string>;
}

export interface TaskRecord {
  sid: string;
  attributes: string;
  priority: number;
  /** TTL in seconds, as given. */
  timeout: number;
  assignmentStatus: TaskStatus;
  reason: string | null;
  workflowSid: string;
  taskChannelSid: string;
  taskQueueSid: string | null;
  taskQueueEnteredDate: number | null;
  dateCreated: number;
  dateUpdated: number;
  /** Bumped on every change; the ETag. */
  version: number;
  routing: RoutingState;
  ttlTimer: Timer | null;
  /** The call waiting in queue for this task (TwiML Enqueue), until it is bridged or leaves. */
  queuedCallSid: string | null;
}

export interface ReservationRecord {
  sid: string;
  taskSid: string;
  workerSid: string;
  status: ReservationStatus;
  dateCreated: number;
  dateUpdated: number;
  timer: Timer | null;
}
