import type { JsonObject } from './json.ts';
import type { CustomerTaskKind } from './context.ts';

/**
 * Everything the recovery statechart reacts to. Adapters (server, plugin, simulator) turn
 * Twilio payloads and API calls into these; `at` is epoch milliseconds, given by the
 * adapter because the machine reads no clock.
 */

// --- From the Flex plugin (through the server's API) ---

export interface AgentRegistered {
  type: 'agent.registered';
  at: number;
  taskSid: string;
  workflowSid: string;
  taskAttributes: JsonObject;
  customerCallSid: string;
  workerSid: string;
  reservationSid: string;
  workerCallSid: string;
  workerName: string;
}

/** The agent hung up through Flex (beforeHangupCall): not a drop. */
export interface AgentHungUp {
  type: 'agent.hungUp';
  at: number;
  workerSid: string;
  liveParticipantCount: number;
}

export interface AgentTransferred {
  type: 'agent.transferred';
  at: number;
  workerSid: string;
  mode: 'COLD' | 'WARM';
}

/** The page is unloading during a live call (pagehide beacon): a refresh, not a crash. */
export interface AgentPageUnloaded {
  type: 'agent.pageUnloaded';
  at: number;
  workerSid: string;
}

// --- Conference status callbacks ---

/** ReasonParticipantLeft values Twilio documents; anything else is kept as text. */
export type LeaveReason =
  | 'participant_hung_up'
  | 'participant_updated_via_api'
  | 'conference_ended_via_api'
  | 'moderator_ended_conference'
  | 'participant_add_failed'
  | (string & {});

interface ConferenceEventBase {
  at: number;
  /** SequenceNumber: orders the callbacks of one conference. */
  seq: number;
}

export interface ConferenceStarted extends ConferenceEventBase {
  type: 'conference.started';
}

export interface ConferenceEnded extends ConferenceEventBase {
  type: 'conference.ended';
  reason: string | null;
  /**
   * CallSidEndingConference: whose leaving ended it (the last participant, or one with
   * endConferenceOnExit). Absent from events recorded before it was read.
   */
  callSidEnding?: string | null;
}

interface ParticipantEventBase extends ConferenceEventBase {
  callSid: string;
  label: string | null;
  endConferenceOnExit: boolean;
  hold: boolean;
  /** Muted and Coaching: absent in callbacks recorded before they were read. */
  muted?: boolean;
  coaching?: boolean;
}

export interface ParticipantJoined extends ParticipantEventBase {
  type: 'participant.joined';
}

export interface ParticipantLeft extends ParticipantEventBase {
  type: 'participant.left';
  reason: LeaveReason | null;
}

/** participant-modify, -hold, -unhold, -mute, -unmute: the flags as they now are. */
export interface ParticipantUpdated extends ParticipantEventBase {
  type: 'participant.updated';
  change: 'modify' | 'hold' | 'unhold' | 'mute' | 'unmute';
}

/**
 * The server saw this conference for the first time (its first status callback). Flex names
 * a task's conference after the task SID, so the name says which task to look up.
 */
export interface ConferenceDiscovered {
  type: 'conference.discovered';
  at: number;
  friendlyName: string | null;
}

/** Callbacks the recovery does not act on (speech, announcements); accepted and recorded. */
export interface ConferenceNoted extends ConferenceEventBase {
  type: 'conference.noted';
  event: string;
}

// --- The new conference of a re-dial, forwarded by the server to the old conference ---

interface RedialEventBase {
  at: number;
  /** The new conference (named after the accepted customer task). */
  conferenceSid: string;
  /** Its SequenceNumber: orders the callbacks of the new conference. */
  seq: number;
  callSid: string;
}

/** Someone joined the conference the recovery's accepted customer task created. */
export interface RedialPartyJoined extends RedialEventBase {
  type: 'redial.partyJoined';
  hold: boolean;
}

/** Someone left that new conference. */
export interface RedialPartyLeft extends RedialEventBase {
  type: 'redial.partyLeft';
  reason: LeaveReason | null;
}

// --- TaskRouter Event Streams ---

/** What Lifeline stamps on the tasks it creates, read back from their attributes. */
export interface LifelineTag {
  conferenceSid: string;
  recoveryId: string;
  kind: 'ping' | CustomerTaskKind;
}

interface TaskEventBase {
  at: number;
  taskSid: string;
  attributes: JsonObject;
  lifeline: LifelineTag | null;
}

export interface TaskCreated extends TaskEventBase {
  type: 'task.created';
}
export interface TaskQueueEntered extends TaskEventBase {
  type: 'task.queueEntered';
  taskQueueSid: string | null;
}
export interface TaskCanceled extends TaskEventBase {
  type: 'task.canceled';
  reason: string | null;
}
export interface TaskCompleted extends TaskEventBase {
  type: 'task.completed';
}

interface ReservationEventBase extends TaskEventBase {
  reservationSid: string;
  workerSid: string;
}
export interface ReservationAccepted extends ReservationEventBase {
  type: 'reservation.accepted';
}
export interface ReservationRejected extends ReservationEventBase {
  type: 'reservation.rejected';
}
export interface ReservationTimedOut extends ReservationEventBase {
  type: 'reservation.timeout';
}

// --- Results of effects, reported back by whoever ran them ---

export interface PingTaskCreated {
  type: 'effect.pingTaskCreated';
  at: number;
  recoveryId: string;
  taskSid: string;
}

/** Moving a party into the new conference answered. */
export interface PartyMoved {
  type: 'effect.partyMoved';
  at: number;
  recoveryId: string;
  callSid: string;
}

export interface PartyMoveFailed {
  type: 'effect.partyMoveFailed';
  at: number;
  recoveryId: string;
  callSid: string;
  error: string;
}

/** The conference's task and its accepted reservation, as TaskRouter and the conference tell. */
export interface CallLookedUp {
  type: 'effect.callLookedUp';
  at: number;
  taskSid: string;
  workflowSid: string;
  taskAttributes: JsonObject;
  customerCallSid: string;
  workerSid: string;
  workerName: string;
  reservationSid: string;
  /** null when the agent's leg is no longer in the conference and the task does not name it. */
  workerCallSid: string | null;
}

/** The conference's task could not be used: no such task, no accepted reservation, no customer. */
export interface CallLookupFailed {
  type: 'effect.callLookupFailed';
  at: number;
  taskSid: string;
  reason: string;
}

/** Enqueueing the customer found the call already completed: the customer is gone. */
export interface CustomerCallGone {
  type: 'effect.customerCallGone';
  at: number;
  recoveryId: string;
  callSid: string;
}

/**
 * Where the customer is, asked of Twilio when no join in the new conference was seen in time:
 * in the conference named after the accepted task (the callbacks were lost or never
 * subscribed), or elsewhere (still waiting in the queue of a task whose agent's leg never
 * connected). A customer whose call ended is reported as effect.customerCallGone.
 */
export interface CustomerLocated {
  type: 'effect.customerLocated';
  at: number;
  recoveryId: string;
  where: 'new-conference' | 'elsewhere';
}

// --- From the server itself ---

/**
 * Compare what the recovery believes with the conference as Twilio has it. The server asks
 * when it starts: callbacks Twilio sent to an instance that died (a SIGKILL) were lost, and
 * a leave nobody saw would leave the recovery waiting for it forever. `round` tells the
 * requests apart (one reconcile effect each).
 */
export interface ReconcileRequested {
  type: 'reconcile.requested';
  at: number;
  round: number;
}

// --- The customer's <Enqueue> action callback (TwiML), through the server ---

/**
 * The customer's Enqueue ended: `queueResult` is Twilio's QueueResult (bridged, hangup,
 * leave, error, system-error, redirected, ...). Anything but bridged, hangup or redirected
 * means the caller is still on the line and out of the queue.
 */
export interface CustomerDequeued {
  type: 'customer.dequeued';
  at: number;
  callSid: string;
  queueResult: string;
  /** Twilio's CallStatus with the request: `completed` when the caller hung up. */
  callStatus: string | null;
  /**
   * For QueueResult=bridged (the conference the customer was bridged into ended), how that
   * conference ended, as the adapter read it from that conference's recovery: `hung-up` when
   * an agent ended the call through Flex, `lost` otherwise, null when not known (unknown is
   * treated as lost: the caller is on the line and must not be dropped).
   */
  bridgeEnd: BridgeEnd | null;
}

export type BridgeEnd = 'hung-up' | 'lost';

export type RedialEvent = RedialPartyJoined | RedialPartyLeft;
export type PluginEvent = AgentRegistered | AgentHungUp | AgentTransferred | AgentPageUnloaded;
export type ConferenceEvent =
  | ConferenceStarted
  | ConferenceEnded
  | ParticipantJoined
  | ParticipantLeft
  | ParticipantUpdated
  | ConferenceNoted;
export type TaskRouterEvent =
  | TaskCreated
  | TaskQueueEntered
  | TaskCanceled
  | TaskCompleted
  | ReservationAccepted
  | ReservationRejected
  | ReservationTimedOut;
export type EffectResultEvent =
  | PingTaskCreated
  | PartyMoved
  | PartyMoveFailed
  | CustomerCallGone
  | CustomerLocated
  | CallLookedUp
  | CallLookupFailed;

export type RecoveryEvent =
  | PluginEvent
  | ConferenceDiscovered
  | ConferenceEvent
  | RedialEvent
  | TaskRouterEvent
  | EffectResultEvent
  | ReconcileRequested
  | CustomerDequeued;
export type RecoveryEventType = RecoveryEvent['type'];
