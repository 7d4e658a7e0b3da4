import type { Effect, RecoverySnapshot, StepEvent } from '../../src/index.ts';
import { stateName } from '../../src/index.ts';

/**
 * What each step should ask for, written from the behaviour the issue describes rather
 * than from the machine's action lists, so replaying generated paths checks the chart
 * against an independent statement of it.
 */
export interface ExpectedEffect {
  type: Effect['type'];
  params?: Record<string, unknown>;
}

const recoveringStates = new Set(['pinging', 'reconnecting', 'escalated', 'redialing', 'locating']);

function isFreshReset(before: RecoverySnapshot, event: StepEvent): boolean {
  if (event.type !== 'participant.joined' && event.type !== 'participant.updated') return false;
  const known = before.context.participants[event.callSid];
  return event.endConferenceOnExit && (known === undefined || event.seq > known.seq);
}

export function expectedEffects(
  before: RecoverySnapshot,
  event: StepEvent,
  after: RecoverySnapshot,
): ExpectedEffect[] {
  const from = stateName(before);
  const to = stateName(after);
  const was = before.context.recovery;
  const now = after.context.recovery;
  const keep = (callSid: string): ExpectedEffect => ({
    type: 'keepInConference',
    params: { callSid },
  });

  if (event.type === 'reconcile.requested') {
    // Twilio is asked about the calls believed present; the answers come back as callbacks.
    return [
      {
        type: 'reconcileConference',
        params: { conferenceSid: before.context.conferenceSid },
      },
    ];
  }
  if (event.type === 'conference.discovered' && to === 'connected') {
    return [{ type: 'lookupCall', params: { taskSid: event.friendlyName } }];
  }
  if (event.type === 'effect.callLookedUp' && to === 'connected') {
    // The looked-up agent leg is kept like a registered one; a late answer asks for nothing.
    const first = Object.keys(before.context.agents).length === 0;
    return first && event.workerCallSid !== null ? [keep(event.workerCallSid)] : [];
  }
  // While connected only the agents' legs are kept: the customer's flag is Flex's (parity).
  if (event.type === 'agent.registered' && from === 'connected') {
    return [keep(event.workerCallSid)];
  }
  if (from === 'connected' && to === from) {
    const isAgentLeg =
      'callSid' in event &&
      Object.values(before.context.agents).some((agent) => agent.callSid === event.callSid);
    if (isFreshReset(before, event) && isAgentLeg) return [keep(event.callSid)];
  }
  if (from === 'redialing' && to === from && event.type === 'participant.joined') {
    // A party joining the old conference during the re-dial is moved at once.
    const moves = Object.values(now?.parties ?? {})
      .filter((party) => party.status === 'moving' && was?.parties[party.callSid] === undefined)
      .map((party) => ({
        type: 'moveParticipant' as const,
        params: { callSid: party.callSid, endConferenceOnExit: party.endConferenceOnExit },
      }));
    return [...(isFreshReset(before, event) ? [keep(event.callSid)] : []), ...moves];
  }
  if (recoveringStates.has(from) && to === from) {
    if (isFreshReset(before, event) && 'callSid' in event) return [keep(event.callSid)];
  }
  if (from === 'connected' && to === 'customerLeft' && event.type === 'participant.left') {
    // Twilio ends the call for the customer's flag; with the flag off Lifeline ends it.
    const othersLeft = Object.values(before.context.participants).some(
      (p) => p.present && p.callSid !== event.callSid,
    );
    return !event.endConferenceOnExit && othersLeft ? [{ type: 'endConference' }] : [];
  }
  if (from === 'connected' && to === 'pinging' && now !== null) {
    return [
      { type: 'announceHold' },
      // No silence: the customer is kept in and hears hold audio until a person is back.
      { type: 'holdCustomer', params: { callSid: after.context.customerCallSid } },
      { type: 'tagTask', params: { taskSid: now.taskSid } },
      ...Object.keys(now.parties).map(keep),
      { type: 'createPingTask', params: { workerSid: now.workerSid, recoveryId: now.id } },
    ];
  }
  if (from === 'connected' && to === 'graceful' && event.type === 'agent.hungUp') {
    return [{ type: 'endConference' }];
  }
  if (was === null) return [];

  // A ping task of this recovery that is not the one it recorded is canceled, in any step.
  const pingSid =
    event.type === 'effect.pingTaskCreated'
      ? event.recoveryId === was.id
        ? event.taskSid
        : null
      : (event.type === 'task.created' || event.type === 'reservation.accepted') &&
          event.lifeline?.recoveryId === was.id &&
          event.lifeline.kind === 'ping'
        ? event.taskSid
        : null;
  if (pingSid !== null && was.pingTaskSid !== null && was.pingTaskSid !== pingSid) {
    return [{ type: 'cancelTask', params: { kind: 'ping', taskSid: pingSid } }];
  }

  const cancelPing: ExpectedEffect = { type: 'cancelTask', params: { kind: 'ping' } };
  const cancelCustomerTask: ExpectedEffect = {
    type: 'cancelTask',
    params: { kind: was.customerTaskKind },
  };
  if (from === 'pinging' && to === 'reconnecting') {
    return [
      { type: 'completeTask', params: { taskSid: now?.pingTaskSid } },
      { type: 'enqueueCustomer', params: { kind: 'reconnect' } },
    ];
  }
  if (from === 'pinging' && to === 'escalated') {
    const timedOut = event.type.startsWith('xstate.after.');
    return [
      ...(timedOut ? [cancelPing] : []),
      { type: 'enqueueCustomer', params: { kind: 'escalation' } },
    ];
  }
  if (event.type === 'customer.dequeued' && to === 'escalated') {
    // Queued again through the action callback's answer, not through an effect.
    return [];
  }
  if (from === 'reconnecting' && to === 'escalated') {
    return [{ type: 'retargetTask', params: { kind: 'reconnect' } }];
  }
  if (
    from === 'escalated' &&
    to === 'escalated' &&
    event.type === 'reservation.accepted' &&
    event.lifeline?.kind === 'ping'
  ) {
    return [{ type: 'completeTask', params: { taskSid: event.taskSid } }];
  }
  if (
    (from === 'reconnecting' || from === 'escalated') &&
    to === from &&
    event.type === 'task.queueEntered' &&
    event.lifeline?.kind === was.customerTaskKind &&
    !was.reservationCompletionRequested
  ) {
    return [{ type: 'completeReservation', params: { reservationSid: was.reservationSid } }];
  }
  if (from === 'locating' && ['redialing', 'recovered', 'handledByAnotherAgent'].includes(to)) {
    // The customer was found in the new conference: the re-dial starts over from there, and
    // every party still waiting is moved now.
    return [
      { type: 'collectRedialJoins', params: { conferenceName: now?.newConferenceName } },
      ...Object.values(was.parties)
        .filter((party) => party.status === 'waiting')
        .map((party) => ({
          type: 'moveParticipant' as const,
          params: { callSid: party.callSid, endConferenceOnExit: party.endConferenceOnExit },
        })),
    ];
  }
  if (from === 'locating' && to === 'escalated') {
    // Queued on a task whose agent never connected: that task is closed, the customer queued
    // again for any agent.
    return [
      { type: 'completeTask', params: { taskSid: was.customerTaskSid } },
      { type: 'enqueueCustomer', params: { kind: 'escalation' } },
    ];
  }
  if (from === 'redialing' && to === 'locating') {
    // No sign of the customer in the new conference: Twilio is asked.
    return [{ type: 'locateCustomer', params: { conferenceName: was.newConferenceName } }];
  }
  if (to === 'redialing' && from !== 'redialing') {
    // Nobody moves yet: the customer must be seen in the new conference first. Its
    // callbacks that came before the acceptance are read back.
    return [{ type: 'collectRedialJoins', params: { conferenceName: now?.newConferenceName } }];
  }
  if (from === 'redialing') {
    const fresh =
      (event.type === 'redial.partyJoined' || event.type === 'redial.partyLeft') &&
      (was.newConferenceSid === null || was.newConferenceSid === event.conferenceSid) &&
      (was.newConferenceSeq[event.callSid] ?? -1) < event.seq;
    const customer = 'callSid' in event && event.callSid === before.context.customerCallSid;
    // Parties still in the old conference when the re-dial gives up on them: not left alone.
    const stranded = Object.values(was.parties).some(
      (party) =>
        party.status === 'waiting' && before.context.participants[party.callSid]?.present === true,
    );
    const endOld: ExpectedEffect[] = stranded
      ? [{ type: 'endConference', params: { conferenceSid: before.context.conferenceSid } }]
      : [];
    if (event.type === 'redial.partyJoined' && fresh && customer) {
      // The customer is in the new conference: every party still waiting is moved now.
      return Object.values(was.parties)
        .filter((party) => party.status === 'waiting')
        .map((party) => ({
          type: 'moveParticipant',
          params: { callSid: party.callSid, endConferenceOnExit: party.endConferenceOnExit },
        }));
    }
    if (event.type === 'redial.partyJoined' && fresh) {
      // A party held in the old conference is held again in the new one.
      const party = was.parties[event.callSid];
      const expected = party?.status === 'waiting' || party?.status === 'moving';
      return expected && party.hold === true && !event.hold
        ? [{ type: 'holdParty', params: { conferenceSid: event.conferenceSid } }]
        : [];
    }
    if (event.type === 'redial.partyLeft' && fresh && customer) {
      const hungUp = ![
        'participant_updated_via_api',
        'conference_ended_via_api',
        'moderator_ended_conference',
      ].includes(event.reason ?? '');
      return hungUp ? endOld : [];
    }
    if (event.type.startsWith('xstate.after.redialTimeout')) return endOld;
  }
  if (to === 'abandoned') {
    // The customer's task cancel comes from TaskRouter itself: nothing left to cancel.
    if (event.type === 'task.canceled') return [{ type: 'endConference' }];
    // A customer gone mid re-dial: the conference whoever accepted joined ends too.
    const newSid = before.context.recovery?.newConferenceSid ?? null;
    const endNew =
      event.type === 'effect.customerCallGone' &&
      newSid !== null &&
      newSid !== before.context.conferenceSid
        ? [{ type: 'endConference' as const, params: { conferenceSid: newSid } }]
        : [];
    return [
      ...(from === 'pinging' ? [cancelPing] : []),
      ...(from === 'reconnecting' || from === 'escalated' ? [cancelCustomerTask] : []),
      // The customer's leaving ended the conference (its leave still on the way): over already.
      ...(event.type === 'conference.ended' ? [] : [{ type: 'endConference' as const }]),
      ...endNew,
    ];
  }
  if (to === 'conferenceEnded' && from === 'pinging') return [cancelPing];
  return [];
}

/** Differences between the effects a step asked for and the expected ones, in words. */
export function effectMismatches(actual: readonly Effect[], expected: ExpectedEffect[]): string[] {
  const left = [...actual];
  const problems: string[] = [];
  for (const want of expected) {
    const index = left.findIndex(
      (effect) =>
        effect.type === want.type &&
        Object.entries(want.params ?? {}).every(
          ([key, value]) =>
            JSON.stringify(new Map(Object.entries(effect.params)).get(key)) ===
            JSON.stringify(value),
        ),
    );
    if (index === -1) problems.push(`missing ${JSON.stringify(want)}`);
    else left.splice(index, 1);
  }
  return [...problems, ...left.map((effect) => `unexpected ${JSON.stringify(effect)}`)];
}
