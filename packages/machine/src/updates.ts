import type { Agent, Outcome, Participant, Party, Recovery, RecoveryContext } from './context.ts';
import type { AgentRegistered, CallLookedUp, RecoveryEvent, RedialEvent } from './events.ts';
import type { ParticipantEvent } from './queries.ts';
import { agentByCall, isDropReason, presentThirdParties } from './queries.ts';

/** Pure context updates used by the statechart's assign actions. */

export function eventTime(
  context: RecoveryContext,
  event: RecoveryEvent | { type: string },
): number {
  if ('at' in event && typeof event.at === 'number') return event.at;
  return context.recovery?.disconnectedAt ?? 0;
}

export function applyRegistration(
  context: RecoveryContext,
  event: AgentRegistered,
): RecoveryContext {
  const previous = context.agents[event.workerSid];
  // The plugin retries registration: a repeat of the same reservation keeps what callbacks
  // and Flex told us since (a hang-up or cold transfer already announced stays announced).
  const repeated = previous?.reservationSid === event.reservationSid ? previous : undefined;
  const agent: Agent = {
    workerSid: event.workerSid,
    workerName: event.workerName,
    callSid: event.workerCallSid,
    reservationSid: event.reservationSid,
    taskSid: event.taskSid,
    workflowSid: event.workflowSid,
    present: previous?.callSid === event.workerCallSid ? previous.present : true,
    exit: repeated?.exit ?? null,
  };
  const participants = { ...context.participants };
  // Registration happens after accept, so both legs are live unless a leave was already seen.
  for (const callSid of [event.customerCallSid, event.workerCallSid]) {
    participants[callSid] ??= {
      callSid,
      label: null,
      endConferenceOnExit: false,
      hold: false,
      present: true,
      seq: -1,
    };
  }
  return {
    ...context,
    customerCallSid: event.customerCallSid,
    taskAttributes: event.taskAttributes,
    agents: { ...context.agents, [event.workerSid]: agent },
    participants,
  };
}

export function applyParticipantEvent(
  context: RecoveryContext,
  event: ParticipantEvent,
): RecoveryContext {
  const present = event.type !== 'participant.left';
  const participants = {
    ...context.participants,
    [event.callSid]: {
      callSid: event.callSid,
      label: event.label ?? context.participants[event.callSid]?.label ?? null,
      endConferenceOnExit: event.endConferenceOnExit,
      hold: event.hold,
      ...(event.muted === undefined ? {} : { muted: event.muted }),
      ...(event.coaching === undefined ? {} : { coaching: event.coaching }),
      present,
      seq: event.seq,
    },
  };
  const agent = agentByCall(context, event.callSid);
  const agents =
    agent === undefined || agent.present === present
      ? context.agents
      : { ...context.agents, [agent.workerSid]: { ...agent, present } };
  let recovery = context.recovery;
  const party = recovery?.parties[event.callSid];
  if (recovery !== null && party !== undefined && event.type === 'participant.left') {
    // A party that hangs up while the customer waits is not dialled back; one that hangs up
    // while being moved (not moved out by the TwiML) will never join the new conference.
    const hungUp = party.status === 'moving' && isDropReason(event.reason);
    if (party.status === 'waiting' || hungUp) {
      recovery = withParty(recovery, { ...party, status: 'gone' });
    }
  }
  if (
    recovery !== null &&
    party === undefined &&
    event.type === 'participant.joined' &&
    event.callSid !== context.customerCallSid &&
    agent === undefined
  ) {
    // Someone who joined while the agent was away (a supervisor barging in, a dialled party
    // answering late) follows the customer too.
    recovery = withParty(recovery, partyOf(participants[event.callSid] ?? { ...event, present }));
  }
  return { ...context, participants, agents, recovery };
}

export function applyGracefulExit(
  context: RecoveryContext,
  workerSid: string,
  exit: Agent['exit'],
): RecoveryContext {
  const agent = context.agents[workerSid];
  if (agent === undefined) return context;
  return { ...context, agents: { ...context.agents, [workerSid]: { ...agent, exit } } };
}

/** A third party of the call, as the recovery will bring it into the new conference. */
function partyOf(
  p: Pick<Participant, 'callSid' | 'label' | 'endConferenceOnExit' | 'muted' | 'coaching'>,
): Party {
  return {
    callSid: p.callSid,
    label: p.label,
    endConferenceOnExit: p.endConferenceOnExit,
    ...(p.muted === true ? { muted: true } : {}),
    // A coaching supervisor is heard by the agent only. Dialled into the new conference it
    // would be heard by the customer too, and the new agent leg is not known when parties
    // move, so it is left out (reported), never made audible.
    status: p.coaching === true ? 'left-out' : 'waiting',
    error:
      p.coaching === true ? 'coaching supervisor: not moved, so never heard by the customer' : null,
  };
}

export function startRecovery(
  context: RecoveryContext,
  agent: Agent,
  cause: Recovery['cause'],
  at: number,
): RecoveryContext {
  const recoveries = context.recoveries + 1;
  const parties: Record<string, Party> = {};
  for (const p of presentThirdParties(context)) parties[p.callSid] = partyOf(p);
  const recovery: Recovery = {
    id: `${context.conferenceSid}:${recoveries}`,
    workerSid: agent.workerSid,
    workerName: agent.workerName,
    callSid: agent.callSid,
    reservationSid: agent.reservationSid,
    taskSid: agent.taskSid,
    workflowSid: agent.workflowSid,
    cause,
    disconnectedAt: at,
    pingTaskSid: null,
    customerIn: 'conference',
    customerTaskKind: null,
    customerTaskSid: null,
    reservationCompletionRequested: false,
    requeues: 0,
    newConferenceName: null,
    acceptedByWorkerSid: null,
    parties,
    newConferenceSid: null,
    customerInNewConference: false,
    newConferenceSeq: {},
  };
  const agents = { ...context.agents, [agent.workerSid]: { ...agent, present: false } };
  return { ...context, agents, recovery, recoveries };
}

export function withParty(recovery: Recovery, party: Party): Recovery {
  return { ...recovery, parties: { ...recovery.parties, [party.callSid]: party } };
}

export function updateRecovery(
  context: RecoveryContext,
  update: (recovery: Recovery) => Partial<Recovery>,
): RecoveryContext {
  if (context.recovery === null) return context;
  return { ...context, recovery: { ...context.recovery, ...update(context.recovery) } };
}

/** The customer queued again for any agent: the last accept and its new conference forgotten. */
export function requeuedForAnyone(recovery: Recovery): Partial<Recovery> {
  return {
    customerIn: 'queue',
    customerTaskKind: 'escalation',
    customerTaskSid: null,
    acceptedByWorkerSid: null,
    newConferenceName: null,
    newConferenceSid: null,
    newConferenceSeq: {},
    customerInNewConference: false,
    requeues: recovery.requeues + 1,
  };
}

export function withOutcome(context: RecoveryContext, outcome: Outcome): RecoveryContext {
  return { ...context, outcome };
}

/** The agent's leg of a looked-up call: named by the lookup, or the leg labelled worker. */
function workerCallOf(context: RecoveryContext, event: CallLookedUp): string | null {
  if (event.workerCallSid !== null) return event.workerCallSid;
  const labelled = Object.values(context.participants).find(
    (p) => p.label === 'worker' && p.callSid !== event.customerCallSid,
  );
  return labelled?.callSid ?? null;
}

/**
 * What the lookup found, recorded as a registration would be. Callbacks seen before it
 * count: an agent leg that already left (or was never found) is recorded as not present.
 */
export function applyLookup(context: RecoveryContext, event: CallLookedUp): RecoveryContext {
  const workerCallSid = workerCallOf(context, event);
  const registered = applyRegistration(context, {
    type: 'agent.registered',
    at: event.at,
    taskSid: event.taskSid,
    workflowSid: event.workflowSid,
    taskAttributes: event.taskAttributes,
    customerCallSid: event.customerCallSid,
    workerSid: event.workerSid,
    reservationSid: event.reservationSid,
    workerCallSid: workerCallSid ?? '',
    workerName: event.workerName,
  });
  const agent = registered.agents[event.workerSid];
  if (agent === undefined) return registered;
  const participants = { ...registered.participants };
  if (workerCallSid === null) delete participants[''];
  const present = workerCallSid !== null && context.participants[workerCallSid]?.present !== false;
  return {
    ...registered,
    lookup: 'found',
    participants,
    agents: { ...registered.agents, [agent.workerSid]: { ...agent, present } },
  };
}

/**
 * A callback of the new conference: its SID and sequence number are kept; the customer's
 * join is the signal to move the parties, a party's join is its arrival.
 */
export function applyRedialEvent(context: RecoveryContext, event: RedialEvent): RecoveryContext {
  const recovery = context.recovery;
  if (recovery === null) return context;
  let next: Recovery = {
    ...recovery,
    newConferenceSid: event.conferenceSid,
    newConferenceSeq: { ...recovery.newConferenceSeq, [event.callSid]: event.seq },
  };
  const joined = event.type === 'redial.partyJoined';
  // Seen once is enough: the re-dial came together even if the customer later hangs up there
  // or is moved on by the new conference's own recovery.
  if (joined && event.callSid === context.customerCallSid) {
    next = { ...next, customerInNewConference: true };
  }
  const party = next.parties[event.callSid];
  if (joined && party !== undefined && (party.status === 'waiting' || party.status === 'moving')) {
    next = withParty(next, { ...party, status: 'joined', error: null });
  }
  return { ...context, recovery: next };
}

/** Every party still expected in the new conference is reported failed, with why. */
export function failUnarrivedParties(context: RecoveryContext, why: string): RecoveryContext {
  const recovery = context.recovery;
  if (recovery === null) return context;
  const parties = Object.fromEntries(
    Object.entries(recovery.parties).map(([sid, p]) => [
      sid,
      p.status === 'waiting' || p.status === 'moving'
        ? { ...p, status: 'failed' as const, error: why }
        : p,
    ]),
  );
  return { ...context, recovery: { ...recovery, parties } };
}
