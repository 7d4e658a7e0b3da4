import type { Recovery, RecoveryContext } from './context.ts';
import type { ParticipantLeft, RecoveryEvent } from './events.ts';
import { isBridgeLost, isCallerOnTheLine } from './bridge.ts';
import { applyLookup } from './updates.ts';
import {
  agentByCall,
  customerPresent,
  isCustomerTask,
  isDropReason,
  isFresh,
  isFreshRedial,
  isParticipantEvent,
  isRecoveryTask,
  partiesSettled,
  partiesToMove,
  wouldStrandCustomer,
} from './queries.ts';

/** Guards of the recovery statechart, by name. Each is a pure question about context and event. */
type Guard = (args: { context: RecoveryContext; event: RecoveryEvent }) => boolean;

const customerLeft = (context: RecoveryContext, event: RecoveryEvent): event is ParticipantLeft =>
  event.type === 'participant.left' &&
  event.callSid === context.customerCallSid &&
  isFresh(context, event);

/** task_canceled_reason of a caller who hung up ("hangup"; older payloads spell it out). */
const isHangupReason = (reason: string | null) =>
  reason !== null && /hang[\s_-]?up|hung[\s_-]?up/i.test(reason);

const TASK_SID = /^WT[0-9a-fA-F]{32}$/;

const endedByConference = (reason: string | null) =>
  reason === 'conference_ended_via_api' || reason === 'moderator_ended_conference';

export const guards = {
  isFreshParticipantEvent: ({ context, event }) =>
    isParticipantEvent(event) && isFresh(context, event),

  /** Flex set endConferenceOnExit=true on someone (it does so whenever <= 2 are live). */
  isEndConferenceOnExitReset: ({ context, event }) =>
    (event.type === 'participant.joined' || event.type === 'participant.updated') &&
    isFresh(context, event) &&
    event.endConferenceOnExit,

  /** The same, on an agent's leg: while connected only those are undone. */
  isAgentEndConferenceOnExitReset: ({ context, event }) =>
    (event.type === 'participant.joined' || event.type === 'participant.updated') &&
    isFresh(context, event) &&
    event.endConferenceOnExit &&
    agentByCall(context, event.callSid) !== undefined,

  isLastAgentDrop: ({ context, event }) =>
    event.type === 'participant.left' &&
    isFresh(context, event) &&
    isDropReason(event.reason) &&
    wouldStrandCustomer(context, agentByCall(context, event.callSid)),

  isLastAgentUnload: ({ context, event }) =>
    event.type === 'agent.pageUnloaded' &&
    wouldStrandCustomer(context, context.agents[event.workerSid]),

  isCustomerLeaving: ({ context, event }) => customerLeft(context, event),

  /** First sight of a conference named after a task, with nobody registered yet. */
  isTaskConferenceDiscovered: ({ context, event }) =>
    event.type === 'conference.discovered' &&
    event.friendlyName !== null &&
    TASK_SID.test(event.friendlyName) &&
    context.lookup === 'none' &&
    Object.keys(context.agents).length === 0,

  /** A conference whose name is not a task SID: not a Flex task's call. */
  isNonTaskConferenceDiscovered: ({ context, event }) =>
    event.type === 'conference.discovered' &&
    (event.friendlyName === null || !TASK_SID.test(event.friendlyName)) &&
    Object.keys(context.agents).length === 0,

  /** The lookup this conference asked for answered, and nobody registered meanwhile. */
  isLookupAnswer: ({ context, event }) =>
    event.type === 'effect.callLookedUp' &&
    context.lookup === 'pending' &&
    Object.keys(context.agents).length === 0,

  isLookupPending: ({ context, event }) =>
    (event.type === 'effect.callLookedUp' || event.type === 'effect.callLookupFailed') &&
    context.lookup === 'pending',

  /** The lookup answered after the agent's leg was gone: a drop before anyone knew the call. */
  isLookupWithAgentGone: ({ context, event }) => {
    if (event.type !== 'effect.callLookedUp') return false;
    const updated = applyLookup(context, event);
    const agent = updated.agents[event.workerSid];
    return agent !== undefined && !agent.present && customerPresent(updated);
  },

  /** The customer left with endConferenceOnExit off while others are still in the conference. */
  isCustomerLeavingOpenConference: ({ context, event }) =>
    customerLeft(context, event) &&
    !event.endConferenceOnExit &&
    Object.values(context.participants).some(
      (p) => p.present && p.callSid !== context.customerCallSid,
    ),

  /** The customer's leg ended by itself (hung up), not moved by us nor ended with the conference. */
  isCustomerHangup: ({ context, event }) =>
    customerLeft(context, event) &&
    event.reason !== 'participant_updated_via_api' &&
    !endedByConference(event.reason),

  isCustomerEndedWithConference: ({ context, event }) =>
    customerLeft(context, event) &&
    endedByConference(event.reason) &&
    context.recovery?.customerIn === 'conference',

  /**
   * The conference ended because the customer, still believed inside, left it: their leave
   * callback is on its way (Twilio delivers out of order) and it was a hang-up, the only way
   * a customer Lifeline has not moved leaves.
   */
  isConferenceEndedByCustomer: ({ context, event }) =>
    event.type === 'conference.ended' &&
    context.recovery?.customerIn !== 'queue' &&
    event.callSidEnding != null &&
    event.callSidEnding === context.customerCallSid,

  isConferenceEndWithCustomerInside: ({ context, event }) =>
    event.type === 'conference.ended' && context.recovery?.customerIn !== 'queue',

  hasGracefulExit: ({ context }) =>
    Object.values(context.agents).some((agent) => agent.exit !== null),

  isHangupWithTwoOrFewer: ({ event }) =>
    event.type === 'agent.hungUp' && event.liveParticipantCount <= 2,

  isColdTransfer: ({ event }) => event.type === 'agent.transferred' && event.mode === 'COLD',

  isKnownAgent: ({ context, event }) =>
    (event.type === 'agent.hungUp' || event.type === 'agent.transferred') &&
    context.agents[event.workerSid] !== undefined,

  isPingTaskCreated: ({ context, event }) =>
    (event.type === 'effect.pingTaskCreated' || event.type === 'task.created') &&
    isOwnPing(context.recovery, event),

  isPingAccepted: ({ context, event }) =>
    event.type === 'reservation.accepted' &&
    isOwnPing(context.recovery, event) &&
    event.workerSid === context.recovery?.workerSid,

  /**
   * A second ping task of this recovery: a create whose answer was lost (a timeout) went
   * through at Twilio after the retry had created another (effects/unverifiable.ts).
   */
  isExtraPingTask: ({ context, event }) =>
    (event.type === 'effect.pingTaskCreated' ||
      event.type === 'task.created' ||
      event.type === 'reservation.accepted') &&
    pingTaskOf(context.recovery, event) !== null &&
    !isOwnPing(context.recovery, event),

  /** TTL expiry, or anyone canceling the ping: the agent is not reachable. */
  isPingCanceled: ({ context, event }) =>
    event.type === 'task.canceled' && isRecoveryTask(context.recovery, event.lifeline, 'ping'),

  isCustomerTaskSeen: ({ context, event }) =>
    (event.type === 'task.created' || event.type === 'task.queueEntered') &&
    isCustomerTask(context.recovery, event.lifeline),

  /** The customer's task is in a queue and the original reservation was not yet completed. */
  isCustomerQueuedFirstTime: ({ context, event }) =>
    event.type === 'task.queueEntered' &&
    isCustomerTask(context.recovery, event.lifeline) &&
    context.recovery?.reservationCompletionRequested === false,

  isCustomerTaskAccepted: ({ context, event }) =>
    event.type === 'reservation.accepted' && isCustomerTask(context.recovery, event.lifeline),

  /**
   * The customer's queued task was canceled because the caller hung up. A cancel for any
   * other reason (TTL, workflow timeout, an API cancel) leaves the caller on the line: the
   * Enqueue's action callback brings them back (customer.dequeued).
   */
  isCustomerTaskHungUp: ({ context, event }) =>
    event.type === 'task.canceled' &&
    isCustomerTask(context.recovery, event.lifeline) &&
    isHangupReason(event.reason),

  /** The caller hung up while queued (QueueResult=hangup). */
  isCustomerDequeuedByHangup: ({ context, event }) =>
    event.type === 'customer.dequeued' &&
    event.callSid === context.customerCallSid &&
    event.queueResult === 'hangup',

  /** The caller left the queue unbridged and is still on the line: queue them again. */
  isCustomerDequeuedOnTheLine: ({ context, event }) =>
    event.type === 'customer.dequeued' &&
    event.callSid === context.customerCallSid &&
    !['bridged', 'hangup', 'redirected', 'redirected-from-bridged'].includes(event.queueResult) &&
    isCallerOnTheLine(event.callStatus),

  /**
   * The conference the customer was bridged into ended under them (not by an agent's hang-up)
   * while they are still on the line: their Enqueue's action callback asks what next.
   */
  isCustomerBridgeLost: ({ context, event }) =>
    event.type === 'customer.dequeued' &&
    event.callSid === context.customerCallSid &&
    isBridgeLost(event),

  isCustomerCallGone: ({ context, event }) =>
    event.type === 'effect.customerCallGone' && event.recoveryId === context.recovery?.id,

  hasPartiesToMove: ({ context }) =>
    context.recovery !== null && partiesToMove(context.recovery).length > 0,

  isAcceptedBySameWorker: ({ context, event }) =>
    event.type === 'reservation.accepted' && event.workerSid === context.recovery?.workerSid,

  /** The customer arrived in the new conference: the signal to move the parties. */
  isCustomerInNewConference: ({ context }) => context.recovery?.customerInNewConference === true,

  isCustomerLocatedInNewConference: ({ context, event }) =>
    event.type === 'effect.customerLocated' &&
    event.recoveryId === context.recovery?.id &&
    event.where === 'new-conference',

  isCustomerLocatedElsewhere: ({ context, event }) =>
    event.type === 'effect.customerLocated' &&
    event.recoveryId === context.recovery?.id &&
    event.where === 'elsewhere',

  isCustomerRedialJoin: ({ context, event }) =>
    event.type === 'redial.partyJoined' &&
    event.callSid === context.customerCallSid &&
    isFreshRedial(context.recovery, event),

  /** A party being moved (or still waiting) arrived in the new conference. */
  isPartyRedialJoin: ({ context, event }) => {
    if (event.type !== 'redial.partyJoined' || !isFreshRedial(context.recovery, event)) {
      return false;
    }
    const status = context.recovery?.parties[event.callSid]?.status;
    return status === 'waiting' || status === 'moving';
  },

  /** The customer hung up in the new conference: nobody left to move the parties to. */
  isCustomerRedialHangup: ({ context, event }) =>
    event.type === 'redial.partyLeft' &&
    event.callSid === context.customerCallSid &&
    isFreshRedial(context.recovery, event) &&
    isDropReason(event.reason),

  isFreshRedialEvent: ({ context, event }) =>
    (event.type === 'redial.partyJoined' || event.type === 'redial.partyLeft') &&
    isFreshRedial(context.recovery, event),

  /** Moving a party that is still expected failed (its call ended). */
  isPartyMoveFailure: ({ context, event }) =>
    event.type === 'effect.partyMoveFailed' &&
    event.recoveryId === context.recovery?.id &&
    ['waiting', 'moving'].includes(context.recovery.parties[event.callSid]?.status ?? ''),

  allPartiesSettled: ({ context }) => context.recovery !== null && partiesSettled(context.recovery),

  wasAcceptedBySameWorker: ({ context }) =>
    context.recovery !== null &&
    context.recovery.acceptedByWorkerSid === context.recovery.workerSid,
} satisfies Record<string, Guard>;

type PingEvent = Extract<
  RecoveryEvent,
  { type: 'effect.pingTaskCreated' | 'task.created' | 'reservation.accepted' }
>;

/** The task SID of an event about a ping task of this recovery; null for any other task. */
function pingTaskOf(recovery: Recovery | null, event: PingEvent): string | null {
  const ours =
    event.type === 'effect.pingTaskCreated'
      ? recovery !== null && event.recoveryId === recovery.id
      : isRecoveryTask(recovery, event.lifeline, 'ping');
  return ours ? event.taskSid : null;
}

/** A ping task of this recovery that is the one it recorded, or the first it hears of. */
function isOwnPing(recovery: Recovery | null, event: PingEvent): boolean {
  const taskSid = pingTaskOf(recovery, event);
  return taskSid !== null && (recovery?.pingTaskSid ?? taskSid) === taskSid;
}
