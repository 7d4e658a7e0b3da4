import type { Agent, Participant, Party, Recovery, RecoveryContext } from './context.ts';
import type {
  RedialEvent,
  ParticipantJoined,
  ParticipantLeft,
  ParticipantUpdated,
  RecoveryEvent,
  LifelineTag,
} from './events.ts';
import type { TaskKind } from './effects.ts';

/** Read-only questions about the context, shared by guards and actions. */

export type ParticipantEvent = ParticipantJoined | ParticipantLeft | ParticipantUpdated;

export function isParticipantEvent(event: RecoveryEvent): event is ParticipantEvent {
  return (
    event.type === 'participant.joined' ||
    event.type === 'participant.left' ||
    event.type === 'participant.updated'
  );
}

/** Older than, or the same as, what we already know about this call: a duplicate or stale. */
export function isFresh(context: RecoveryContext, event: ParticipantEvent): boolean {
  const known: Participant | undefined = context.participants[event.callSid];
  return known === undefined || event.seq > known.seq;
}

export function agentByCall(context: RecoveryContext, callSid: string): Agent | undefined {
  return Object.values(context.agents).find((agent) => agent.callSid === callSid);
}

export function presentAgents(context: RecoveryContext): Agent[] {
  return Object.values(context.agents).filter((agent) => agent.present);
}

export function customerPresent(context: RecoveryContext): boolean {
  const callSid = context.customerCallSid;
  return callSid !== null && context.participants[callSid]?.present === true;
}

/** Calls that are neither the customer nor a registered agent: external numbers, supervisors. */
export function presentThirdParties(context: RecoveryContext): Participant[] {
  return Object.values(context.participants).filter(
    (p) =>
      p.present &&
      p.callSid !== context.customerCallSid &&
      agentByCall(context, p.callSid) === undefined,
  );
}

/** Leave reasons that mean a deliberate action, not a dropped leg. */
const deliberateLeaveReasons = new Set([
  'participant_updated_via_api',
  'conference_ended_via_api',
  'moderator_ended_conference',
]);

export function isDropReason(reason: string | null): boolean {
  return reason === null || !deliberateLeaveReasons.has(reason);
}

/** The agent whose leg this is would be the last agent to go, without a graceful exit. */
export function wouldStrandCustomer(context: RecoveryContext, agent: Agent | undefined): boolean {
  if (agent === undefined || !agent.present || agent.exit !== null) return false;
  // An agent who announced a hang-up or cold transfer is on the way out even while its
  // leave callback is still in flight: it does not stay with the customer.
  const others = presentAgents(context).filter(
    (a) => a.workerSid !== agent.workerSid && a.exit === null,
  );
  return others.length === 0 && customerPresent(context);
}

export function isRecoveryTask(
  recovery: Recovery | null,
  tag: LifelineTag | null,
  kind: TaskKind,
): recovery is Recovery {
  return recovery !== null && tag !== null && tag.recoveryId === recovery.id && tag.kind === kind;
}

export function isCustomerTask(recovery: Recovery | null, tag: LifelineTag | null): boolean {
  return (
    recovery !== null &&
    recovery.customerTaskKind !== null &&
    isRecoveryTask(recovery, tag, recovery.customerTaskKind)
  );
}

export function partiesToMove(recovery: Recovery): Party[] {
  return Object.values(recovery.parties).filter((p) => p.status === 'waiting');
}

export function partiesSettled(recovery: Recovery): boolean {
  return Object.values(recovery.parties).every(
    (p) =>
      p.status === 'joined' ||
      p.status === 'failed' ||
      p.status === 'gone' ||
      p.status === 'left-out',
  );
}

/** A callback of the new conference newer than any applied for that call. */
export function isFreshRedial(recovery: Recovery | null, event: RedialEvent): boolean {
  if (recovery === null || recovery.newConferenceName === null) return false;
  // One new conference per re-dial: the first one seen is it.
  if (recovery.newConferenceSid !== null && recovery.newConferenceSid !== event.conferenceSid) {
    return false;
  }
  const known = recovery.newConferenceSeq[event.callSid];
  return known === undefined || event.seq > known;
}

/** Parties moved and not yet seen in the new conference (nor failed). */
export function partiesExpected(recovery: Recovery): Party[] {
  return Object.values(recovery.parties).filter(
    (p) => p.status === 'waiting' || p.status === 'moving',
  );
}

/** Parties still in the old conference that the re-dial gives up on: they would be alone. */
export function partiesLeftBehind(context: RecoveryContext): Party[] {
  const recovery = context.recovery;
  if (recovery === null) return [];
  return Object.values(recovery.parties).filter(
    (p) => p.status === 'waiting' && context.participants[p.callSid]?.present === true,
  );
}
