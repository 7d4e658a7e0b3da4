import type {
  CallStatus,
  ConferenceCallback,
  Party,
  ReservationStatus,
  TaskStatus,
} from './records.ts';

export type ConferenceEventName =
  | 'conference-start'
  | 'conference-end'
  | 'participant-join'
  | 'participant-leave'
  | 'participant-mute'
  | 'participant-unmute'
  | 'participant-hold'
  | 'participant-unhold'
  | 'participant-modify'
  | 'announcement-end'
  | 'announcement-fail';

/** The statusCallbackEvent word that subscribes to each event. */
export const subscriptionWord: Record<ConferenceEventName, string> = {
  'conference-start': 'start',
  'conference-end': 'end',
  'participant-join': 'join',
  'participant-leave': 'leave',
  'participant-mute': 'mute',
  'participant-unmute': 'mute',
  'participant-hold': 'hold',
  'participant-unhold': 'hold',
  'participant-modify': 'modify',
  'announcement-end': 'announcement',
  'announcement-fail': 'announcement',
};

/** A participant's flags at the moment of an event. */
export interface ParticipantSnapshot {
  callSid: string;
  label: string | null;
  muted: boolean;
  hold: boolean;
  coaching: boolean;
  endConferenceOnExit: boolean;
  startConferenceOnEnter: boolean;
}

/** Something that happened in a conference; the callbacks module decides whether it is sent. */
export interface ConferenceEvent {
  name: ConferenceEventName;
  at: number;
  conferenceSid: string;
  friendlyName: string;
  callback: ConferenceCallback | null;
  participant: ParticipantSnapshot | null;
  leave: { callStatus: CallStatus; reason: string } | null;
  end: { reason: string; callSidEnding: string | null } | null;
}

/** A TaskRouter event with everything Event Streams needs, captured when it happened. */
export interface TaskRouterEvent {
  /** `task.created`, `reservation.accepted`, ... (the CloudEvent type without its prefix). */
  eventType: string;
  at: number;
  description: string;
  task: {
    sid: string;
    attributes: string;
    priority: number;
    assignmentStatus: TaskStatus;
    reason: string | null;
    dateCreated: number;
    channelSid: string;
    channelUniqueName: string;
    workflowSid: string;
    workflowName: string | null;
    queueSid: string | null;
    queueName: string | null;
  };
  reservation: { sid: string; status: ReservationStatus } | null;
  worker: { sid: string; name: string; attributes: string; activityName: string } | null;
}

export interface CallStatusEvent {
  callSid: string;
  status: CallStatus;
  /** Call progress word: initiated, ringing, answered, completed. */
  progress: 'initiated' | 'ringing' | 'answered' | 'completed';
  at: number;
}

export interface NoteEvent {
  callSid: string;
  at: number;
  text: string;
}

export interface WorldEvents {
  conference: ConferenceEvent;
  taskrouter: TaskRouterEvent;
  callStatus: CallStatusEvent;
  /** A timeline note about one call (announcement heard, queue entered, ...). */
  note: NoteEvent;
  /** Something changed: the timeline recomputes what each call hears. */
  changed: { at: number };
  /** A call was created: the timeline starts following it. */
  callCreated: { callSid: string; party: Party; at: number };
}
