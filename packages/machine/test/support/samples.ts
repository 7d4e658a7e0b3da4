import type { RecoverySnapshot, StepEvent } from '../../src/index.ts';
import { stateName } from '../../src/index.ts';
import {
  AGENT_CALL,
  CUSTOMER,
  ESCALATION_TASK,
  EXTERNAL,
  PING_TASK,
  RECONNECT_TASK,
  RESERVATION,
  SUPERVISOR,
  TASK,
  WORKER,
  WORKFLOW,
  WORKER2,
  accepted,
  canceled,
  conferenceEnded,
  customerCallGone,
  hungUp,
  joined,
  left,
  modified,
  pageUnloaded,
  partyMoveFailed,
  partyMoved,
  pingTaskCreated,
  pingCreateTimeoutEvent,
  pingTimeoutEvent,
  queueEntered,
  reconnectTimeoutEvent,
  redialJoined,
  redialLeft,
  redialTimeoutEvent,
  registered,
  sidOf,
  tagOf,
  taskCreated,
  transferred,
} from '../fixtures.ts';

/** A second ping task of the recovery: a create whose answer was lost went through after all. */
const EXTRA_PING_TASK = sidOf('WT', 99);

/**
 * Concrete events for the graph traversal, given where the machine is. Every field is a
 * function of the snapshot alone, and SequenceNumbers are fixed per (kind of callback, call),
 * so the traversal sees finitely many contexts and a flip-flop (eoe true, false, true) ends
 * in a stale callback instead of looping.
 */
const callIndex: Record<string, number> = {
  [CUSTOMER]: 1,
  [AGENT_CALL]: 2,
  [EXTERNAL]: 4,
  [SUPERVISOR]: 5,
};
const seqFor = (base: 'join' | 'reset' | 'modify' | 'leave', callSid: string) =>
  ({ join: 10, reset: 20, modify: 30, leave: 40 })[base] + (callIndex[callSid] ?? 9);

const END_SEQ = 99;

/**
 * Events the traversal generated; anything else (XState's bare `{ type }` fallback) is
 * filtered out. Each call returns new objects (timer events copied too), because the
 * traversal remembers what an event object did at the vertex it was sampled for.
 */
const sampled = new WeakSet<object>();

export function isSampled(event: object): boolean {
  return sampled.has(event);
}

/**
 * The traversal runs in two phases, so the recovery part is not multiplied by every way of
 * reaching it: `connected` explores the connected state only, `recovering` starts from a
 * snapshot where a recovery has begun.
 */
export type Phase = 'connected' | 'recovering';

/** The server's start-up reconcile: one round is enough, it only asks Twilio. */
const reconcileRequested = (): StepEvent => ({ type: 'reconcile.requested', at: 0, round: 1 });

export function sampleEvents(phase: Phase, snapshot: RecoverySnapshot): StepEvent[] {
  const inPhase = snapshot.matches('connected') === (phase === 'connected');
  const events = snapshot.status === 'done' || !inPhase ? [] : eventsIn(snapshot);
  for (const event of events) sampled.add(event);
  return events;
}

function eventsIn(snapshot: RecoverySnapshot): StepEvent[] {
  const context = snapshot.context;
  if (context.agents[WORKER] === undefined) {
    const lookedUp = (workerCallSid: string | null): StepEvent => ({
      type: 'effect.callLookedUp',
      at: 0,
      taskSid: TASK,
      workflowSid: WORKFLOW,
      taskAttributes: {},
      customerCallSid: CUSTOMER,
      workerSid: WORKER,
      workerName: 'Alice',
      reservationSid: RESERVATION,
      workerCallSid,
    });
    switch (context.lookup) {
      case 'none':
        return [
          registered(),
          { type: 'conference.discovered', at: 0, friendlyName: TASK },
          { type: 'conference.discovered', at: 0, friendlyName: 'team-huddle' },
        ];
      case 'pending':
        // The lookup answers with the agent's leg live, or after it was gone.
        return [
          registered(),
          lookedUp(AGENT_CALL),
          lookedUp(null),
          { type: 'effect.callLookupFailed', at: 0, taskSid: TASK, reason: 'no such task' },
        ];
      default:
        return [registered()];
    }
  }
  // Registered while the lookup runs: its late answer changes nothing but the status.
  if (context.lookup === 'pending') {
    return [
      {
        type: 'effect.callLookedUp',
        at: 0,
        taskSid: TASK,
        workflowSid: WORKFLOW,
        taskAttributes: {},
        customerCallSid: CUSTOMER,
        workerSid: WORKER,
        workerName: 'Alice',
        reservationSid: RESERVATION,
        workerCallSid: AGENT_CALL,
      },
    ];
  }
  const present = (callSid: string) => context.participants[callSid]?.present === true;
  const known = (callSid: string) => context.participants[callSid] !== undefined;
  const flags = (callSid: string) => {
    const eoe = context.participants[callSid]?.endConferenceOnExit === true;
    // Flex's reset (eoe true) first; a later modify with eoe false covers the plain update.
    return eoe
      ? modified(callSid, false, seqFor('modify', callSid))
      : modified(callSid, true, seqFor('reset', callSid));
  };
  const state = stateName(snapshot);
  if (state === 'connected') {
    const live = Object.values(context.participants).filter((p) => p.present);
    return [
      ...(known(EXTERNAL)
        ? []
        : [
            joined(EXTERNAL, { label: 'external', seq: seqFor('join', EXTERNAL) }),
            joined(EXTERNAL, { label: 'external', eoe: true, seq: seqFor('join', EXTERNAL) }),
          ]),
      // The agent's own join, with Flex's flag already set, before any other callback.
      ...(context.participants[AGENT_CALL]?.seq === -1
        ? [joined(AGENT_CALL, { label: 'worker', eoe: true, seq: seqFor('join', AGENT_CALL) })]
        : []),
      ...live.map((p) => flags(p.callSid)),
      ...live.map((p) => left(p.callSid, 'participant_hung_up', seqFor('leave', p.callSid))),
      // The customer hangs up with Flex's flag on: Twilio ends the conference by itself.
      ...(present(CUSTOMER)
        ? [
            {
              ...left(CUSTOMER, 'participant_hung_up', seqFor('leave', CUSTOMER)),
              endConferenceOnExit: true,
            },
          ]
        : []),
      hungUp(live.length),
      transferred('COLD'),
      pageUnloaded(),
      reconcileRequested(),
      conferenceEnded(END_SEQ),
    ];
  }
  const id = context.recovery?.id ?? '';
  const customerLeaves = (reason: string) =>
    present(CUSTOMER) ? [left(CUSTOMER, reason, seqFor('leave', CUSTOMER))] : [];
  const ending = [
    ...customerLeaves('participant_hung_up'),
    conferenceEnded(END_SEQ),
    // Ended by the customer's leaving, that leave callback still on its way.
    ...(present(CUSTOMER) ? [{ ...conferenceEnded(END_SEQ), callSidEnding: CUSTOMER }] : []),
    customerCallGone(id),
  ];
  const dequeued = (queueResult: string): StepEvent => ({
    type: 'customer.dequeued',
    at: 0,
    callSid: CUSTOMER,
    queueResult,
    callStatus: queueResult === 'hangup' ? 'completed' : 'in-progress',
    bridgeEnd: null,
  });
  // The new conference went down under the customer, or an agent hung up (nothing to do).
  const bridged = (bridgeEnd: 'hung-up' | 'lost'): StepEvent => ({
    type: 'customer.dequeued',
    at: 0,
    callSid: CUSTOMER,
    queueResult: 'bridged',
    callStatus: 'in-progress',
    bridgeEnd,
  });
  const bridgeEnds =
    context.recovery !== null && context.recovery.requeues === 0
      ? [bridged('hung-up'), bridged('lost')]
      : [];
  const customerTask =
    context.recovery?.customerTaskKind === 'escalation' ? ESCALATION_TASK : RECONNECT_TASK;
  const customerTag = tagOf(snapshot, context.recovery?.customerTaskKind ?? 'reconnect');
  const customerQueued = [
    ...customerLeaves('participant_updated_via_api'),
    taskCreated(customerTask, customerTag),
    queueEntered(customerTask, customerTag),
    accepted(customerTask, customerTag, WORKER),
    accepted(customerTask, customerTag, WORKER2),
    canceled(customerTask, customerTag, 'hangup'),
    canceled(customerTask, customerTag, 'Task TTL Exceeded'),
    ...(context.recovery !== null && context.recovery.requeues === 0 ? [dequeued('leave')] : []),
    dequeued('hangup'),
    ...ending,
  ];
  // Callbacks that change nothing but a flag multiply the graph: one traversal (the
  // recovery without third parties) is enough to take them.
  const quiet = Object.keys(context.recovery?.parties ?? {}).length > 0;
  switch (state) {
    case 'pinging':
      return [
        pingTaskCreated(id),
        taskCreated(PING_TASK, tagOf(snapshot, 'ping')),
        accepted(PING_TASK, tagOf(snapshot, 'ping')),
        canceled(PING_TASK, tagOf(snapshot, 'ping')),
        taskCreated(EXTRA_PING_TASK, tagOf(snapshot, 'ping')),
        accepted(EXTRA_PING_TASK, tagOf(snapshot, 'ping')),
        { ...pingTimeoutEvent },
        { ...pingCreateTimeoutEvent },
        ...(quiet
          ? []
          : [
              ...(known(SUPERVISOR)
                ? []
                : [
                    joined(SUPERVISOR, { seq: seqFor('join', SUPERVISOR) }),
                    joined(SUPERVISOR, { eoe: true, seq: seqFor('join', SUPERVISOR) }),
                  ]),
              ...(present(CUSTOMER) ? [flags(CUSTOMER)] : []),
            ]),
        ...(present(EXTERNAL)
          ? [left(EXTERNAL, 'participant_hung_up', seqFor('leave', EXTERNAL))]
          : []),
        ...customerLeaves('conference_ended_via_api'),
        reconcileRequested(),
        ...ending,
      ];
    case 'reconnecting':
      return [{ ...reconnectTimeoutEvent }, ...customerQueued];
    case 'escalated':
      // The agent answers the ping after Lifeline gave up on it.
      return [...customerQueued, accepted(PING_TASK, tagOf(snapshot, 'ping'))];
    case 'redialing':
      if (!quiet) {
        // Nobody else to move (every accept re-dials): the customer's join, the wait running
        // out, or the customer gone. Party moves are the other traversal's.
        return [
          ...(context.recovery?.customerInNewConference === true
            ? []
            : [redialJoined(CUSTOMER, 61)]),
          { ...redialTimeoutEvent },
          ...bridgeEnds,
          customerCallGone(id),
        ];
      }
      return [
        ...(known(SUPERVISOR) || context.recovery?.customerInNewConference === true
          ? []
          : [
              joined(SUPERVISOR, { seq: seqFor('join', SUPERVISOR) }),
              joined(SUPERVISOR, { eoe: true, seq: seqFor('join', SUPERVISOR) }),
            ]),
        partyMoved(id, EXTERNAL),
        partyMoveFailed(id, EXTERNAL),
        ...redialCallbacks(snapshot),
        { ...redialTimeoutEvent },
        ...customerLeaves('participant_updated_via_api'),
        ...(present(EXTERNAL)
          ? [left(EXTERNAL, 'participant_updated_via_api', seqFor('leave', EXTERNAL))]
          : []),
        conferenceEnded(END_SEQ),
        customerCallGone(id),
      ];
    case 'locating': {
      const located = (where: 'new-conference' | 'elsewhere'): StepEvent => ({
        type: 'effect.customerLocated',
        at: 0,
        recoveryId: id,
        where,
      });
      // Each answer leads back into a re-dial: the traversal with third parties, whose re-dial
      // graph is the largest, takes only the way out; the other takes every answer.
      if (quiet) return [...bridgeEnds, customerCallGone(id)];
      return [
        ...redialCallbacks(snapshot),
        // The agent's leg arriving is not the customer's.
        ...(context.recovery?.newConferenceSeq[AGENT_CALL] === undefined
          ? [redialJoined(AGENT_CALL, 62)]
          : []),
        located('new-conference'),
        // Queued again once: a second stranded accept would only repeat the same steps.
        ...(context.recovery !== null && context.recovery.requeues === 0
          ? [located('elsewhere')]
          : []),
        customerCallGone(id),
      ];
    }
    default:
      return [];
  }
}

/**
 * The new conference's callbacks, forwarded to a re-dialing recovery: the customer's join
 * (which moves the parties), then the agent's and the external party's joins and the
 * customer's leave (moved on by a second recovery, or hung up). Each at most once, so the
 * traversal stays small.
 */
function redialCallbacks(snapshot: RecoverySnapshot): StepEvent[] {
  const recovery = snapshot.context.recovery;
  if (recovery === null) return [];
  if (!recovery.customerInNewConference) {
    return recovery.newConferenceSeq[CUSTOMER] === undefined ? [redialJoined(CUSTOMER, 61)] : [];
  }
  // One callback after the customer's join: each takes its own transition.
  if (Object.keys(recovery.newConferenceSeq).length > 1) return [];
  return [
    redialJoined(AGENT_CALL, 62),
    redialJoined(EXTERNAL, 64),
    redialLeft(CUSTOMER, 'participant_updated_via_api', 71),
    redialLeft(CUSTOMER, 'participant_hung_up', 81),
  ];
}
