import { and, assertEvent, assign, enqueueActions, not, setup } from 'xstate';
import type { EndReason, RecoveryContext, RecoveryInput } from './context.ts';
import { SCHEMA_VERSION, defaultConfig } from './context.ts';
import type { EffectParams } from './effects.ts';
import type { RecoveryEvent } from './events.ts';
import { copy } from './copy.ts';
import { guards } from './guards.ts';
import {
  announceHoldParams,
  cancelParams,
  extraPingCancelParams,
  completeOriginalReservationParams,
  completePingTaskParams,
  createPingTaskParams,
  endConferenceForEvent,
  collectRedialJoinsParams,
  completeStrandedTaskParams,
  enqueueAfterStrandedParams,
  locateCustomerParams,
  reconcileParams,
  endOldConferenceParams,
  endNewConferenceParams,
  endingReason,
  enqueueParams,
  holdPartyParams,
  enqueueReconnectParams,
  holdCustomerParams,
  keepParams,
  lookupCallParams,
  lostCustomerTaskParams,
  moveParams,
  retargetParams,
  tagOriginalTaskParams,
} from './plans.ts';
import {
  agentByCall,
  isParticipantEvent,
  partiesLeftBehind,
  partiesToMove,
  presentThirdParties,
} from './queries.ts';
import {
  applyGracefulExit,
  applyLookup,
  applyParticipantEvent,
  applyRedialEvent,
  applyRegistration,
  eventTime,
  failUnarrivedParties,
  requeuedForAnyone,
  startRecovery,
  updateRecovery,
  withOutcome,
  withParty,
} from './updates.ts';

/**
 * Effects are declared with their parameter types and no behaviour: the statechart only
 * describes them. XState's pure transition() hands them to the adapter that performs them.
 */
function ended(context: RecoveryContext, event: RecoveryEvent, reason: EndReason) {
  return withOutcome(context, { kind: 'ended', reason, at: eventTime(context, event) });
}

function describe<K extends keyof EffectParams>() {
  return (_: unknown, _params: EffectParams[K]) => undefined;
}

/**
 * While connected, only the agents' legs must never end the conference (a dropped agent leg
 * is what Lifeline recovers). The customer's flag stays as Flex set it, so a customer who
 * hangs up ends the call exactly as in plain Flex (native parity); the recovery clears it
 * when it starts, because from then on the customer must outlive the conference's agents.
 */
const recordConnectedParticipantChange = [
  {
    guard: 'isAgentEndConferenceOnExitReset',
    actions: ['recordParticipant', 'undoEndConferenceOnExitReset'],
  },
  { guard: 'isFreshParticipantEvent', actions: 'recordParticipant' },
] as const;

/** Every recovery step: a fresh join or update is recorded, and Flex's reset undone for anyone. */
const recordParticipantChange = [
  {
    guard: 'isEndConferenceOnExitReset',
    actions: ['recordParticipant', 'undoEndConferenceOnExitReset'],
  },
  { guard: 'isFreshParticipantEvent', actions: 'recordParticipant' },
] as const;

/** Reconnecting and escalated alike: the customer's task is created and queued. */
const customerTaskSeen = {
  'task.created': { guard: 'isCustomerTaskSeen', actions: 'recordCustomerTask' },
  'task.queueEntered': [
    {
      guard: 'isCustomerQueuedFirstTime',
      actions: [
        'recordCustomerTask',
        { type: 'completeReservation', params: completeOriginalReservationParams },
        'recordReservationCompletion',
      ],
    },
    { guard: 'isCustomerTaskSeen', actions: 'recordCustomerTask' },
  ],
} as const;

/**
 * Reconnecting and escalated alike: only a caller who hung up abandons the call. Any other
 * cancel is left to the Enqueue's action callback, which says whether the caller is there.
 */
const customerTaskCanceled = {
  guard: 'isCustomerTaskHungUp',
  target: '#recovery.abandoned',
  actions: [{ type: 'endConference', params: endConferenceForEvent }, 'recordAbandoned'],
} as const;

/**
 * Reconnecting and escalated alike: the Enqueue ended. A hang-up abandons; a caller still
 * on the line is queued again for any agent (the action callback's answer carries the
 * TwiML, see requeueParams), never dropped.
 */
const customerDequeued = [
  {
    guard: 'isCustomerDequeuedByHangup',
    target: '#recovery.abandoned',
    actions: [
      'cancelPendingTasks',
      { type: 'endConference', params: endConferenceForEvent },
      'recordAbandoned',
    ],
  },
  {
    guard: 'isCustomerDequeuedOnTheLine',
    target: '#recovery.recovering.escalated',
    actions: 'recordRequeue',
  },
] as const;

/**
 * Re-dialing and locating alike: the new conference ended under the customer (an agent page
 * reloaded before Lifeline undid Flex's endConferenceOnExit) and their Enqueue's action
 * callback asks what next. They are queued again for any agent (the callback's answer
 * carries the Enqueue, see requeueParams); the parties not moved yet wait for that agent.
 */
const customerBridgeLost = {
  guard: 'isCustomerBridgeLost',
  target: 'escalated',
  actions: 'recordBridgeLost',
} as const;

/**
 * Reconnecting and escalated alike: whoever accepts the customer's task is to have the
 * customer, but an accept is not a connection. The agent's leg may never arrive (the page
 * reloads again before the call rings), leaving the customer queued on an assigned task. So
 * every accept re-dials: the recovery ends once the customer is seen in the new conference,
 * with the other parties moved there.
 */
const customerTaskAccepted = {
  guard: 'isCustomerTaskAccepted',
  target: 'redialing',
  actions: 'recordAcceptance',
} as const;

/** The recovery's ping task exists: the agent's time to accept starts. */
const pingTaskKnown = {
  guard: 'isPingTaskCreated',
  target: 'offered',
  actions: 'recordPingTask',
} as const;

export const recoveryMachine = setup({
  types: {
    context: {} as RecoveryContext,
    events: {} as RecoveryEvent,
    input: {} as RecoveryInput,
  },
  guards,
  delays: {
    pingCreateTimeout: ({ context }) => context.config.pingCreateTimeoutMs,
    pingTimeout: ({ context }) => context.config.pingTimeoutMs,
    reconnectTimeout: ({ context }) => context.config.reconnectTimeoutMs,
    redialTimeout: ({ context }) => context.config.redialTimeoutMs,
  },
  actions: {
    // --- effects ---
    lookupCall: describe<'lookupCall'>(),
    announceHold: describe<'announceHold'>(),
    holdCustomer: describe<'holdCustomer'>(),
    keepInConference: describe<'keepInConference'>(),
    tagTask: describe<'tagTask'>(),
    createPingTask: describe<'createPingTask'>(),
    completeTask: describe<'completeTask'>(),
    cancelTask: describe<'cancelTask'>(),
    retargetTask: describe<'retargetTask'>(),
    enqueueCustomer: describe<'enqueueCustomer'>(),
    completeReservation: describe<'completeReservation'>(),
    moveParticipant: describe<'moveParticipant'>(),
    collectRedialJoins: describe<'collectRedialJoins'>(),
    locateCustomer: describe<'locateCustomer'>(),
    holdParty: describe<'holdParty'>(),
    reconcileConference: describe<'reconcileConference'>(),
    endConference: describe<'endConference'>(),

    // --- effects that depend on who is in the call ---
    keepRegisteredInConference: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'agent.registered');
      // The agent's leg only: the customer's flag stays as Flex set it (native parity).
      enqueue({
        type: 'keepInConference',
        params: keepParams(context, event.workerCallSid, `register-${event.reservationSid}`),
      });
    }),
    undoEndConferenceOnExitReset: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['participant.joined', 'participant.updated']);
      enqueue({
        type: 'keepInConference',
        params: keepParams(context, event.callSid, `reset-${event.seq}`),
      });
    }),
    keepEveryoneInConference: enqueueActions(({ context, enqueue }) => {
      // The customer's flag is cleared by holdCustomer, before the hold.
      const id = context.recovery?.id ?? '';
      for (const party of presentThirdParties(context)) {
        enqueue({ type: 'keepInConference', params: keepParams(context, party.callSid, id) });
      }
    }),
    moveParties: enqueueActions(({ context, enqueue }) => {
      // Only once the customer is in the new conference: a party moved earlier would wait
      // there alone, or create the conference before the customer's task does.
      if (context.recovery === null || !context.recovery.customerInNewConference) return;
      for (const party of partiesToMove(context.recovery)) {
        enqueue({ type: 'moveParticipant', params: moveParams(context, party.callSid) });
      }
      enqueue.assign(({ context: c }) =>
        updateRecovery(c, (r) => ({
          parties: Object.fromEntries(
            Object.entries(r.parties).map(([sid, p]) => [
              sid,
              p.status === 'waiting'
                ? // Its hold as the old conference last said, restored once it joins.
                  { ...p, status: 'moving' as const, hold: c.participants[sid]?.hold === true }
                : p,
            ]),
          ),
        })),
      );
    }),
    holdJoinedParty: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'redial.partyJoined');
      const party = context.recovery?.parties[event.callSid];
      if (party?.hold !== true || event.hold) return;
      enqueue({
        type: 'holdParty',
        params: holdPartyParams(context, event.conferenceSid, event.callSid),
      });
    }),
    endNewConference: enqueueActions(({ context, enqueue }) => {
      const params = endNewConferenceParams(context);
      if (params !== null) enqueue({ type: 'endConference', params });
    }),
    endStrandedOldConference: enqueueActions(({ context, enqueue }) => {
      if (partiesLeftBehind(context).length === 0) return;
      enqueue({ type: 'endConference', params: endOldConferenceParams });
    }),
    escalateCustomer: enqueueActions(({ context, enqueue }) => {
      // Queued again by the Enqueue's action callback: already waiting for any agent.
      if (context.recovery?.customerTaskKind === 'escalation') return;
      if (context.recovery?.customerIn === 'queue') {
        // Already queued for the same agent: widen that task rather than move the call.
        enqueue({ type: 'retargetTask', params: retargetParams(context) });
        return;
      }
      enqueue({ type: 'enqueueCustomer', params: enqueueParams(context, 'escalation') });
      enqueue.assign(({ context: c }) =>
        updateRecovery(c, () => ({ customerIn: 'queue', customerTaskKind: 'escalation' })),
      );
    }),
    cancelPendingTasks: enqueueActions(({ context, event, enqueue }) => {
      const recovery = context.recovery;
      if (recovery === null) return;
      const reason = endingReason(event);
      // The ping is pending only until the customer is queued: by then it was accepted and
      // completed (reconnect), or canceled by its TTL or by the ping timeout (escalation).
      if (recovery.customerTaskKind === null) {
        enqueue({ type: 'cancelTask', params: cancelParams(context, 'ping', reason) });
      } else if (recovery.acceptedByWorkerSid === null) {
        enqueue({
          type: 'cancelTask',
          params: cancelParams(context, recovery.customerTaskKind, reason),
        });
      }
    }),
    cancelExtraPingTask: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['effect.pingTaskCreated', 'task.created', 'reservation.accepted']);
      enqueue({ type: 'cancelTask', params: extraPingCancelParams(context, event.taskSid) });
    }),
    cancelPingTask: enqueueActions(({ context, enqueue }) => {
      enqueue({
        type: 'cancelTask',
        params: cancelParams(context, 'ping', 'Agent not reachable in time'),
      });
    }),

    // --- bookkeeping ---
    recordRegistration: assign(({ context, event }) => {
      assertEvent(event, 'agent.registered');
      return applyRegistration(context, event);
    }),
    recordLookupPending: assign(({ context }) => ({ ...context, lookup: 'pending' as const })),
    recordLookupSettled: assign(({ context }) => ({ ...context, lookup: 'found' as const })),
    recordLookupFailed: assign(({ context }) => ({ ...context, lookup: 'failed' as const })),
    recordLookup: assign(({ context, event }) => {
      assertEvent(event, 'effect.callLookedUp');
      return applyLookup(context, event);
    }),
    recordDropFromLookup: assign(({ context, event }) => {
      assertEvent(event, 'effect.callLookedUp');
      const agent = context.agents[event.workerSid];
      return agent === undefined ? context : startRecovery(context, agent, 'drop', event.at);
    }),
    keepLookedUpAgentInConference: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'effect.callLookedUp');
      const callSid = context.agents[event.workerSid]?.callSid ?? '';
      if (callSid === '') return;
      enqueue({
        type: 'keepInConference',
        params: keepParams(context, callSid, `lookup-${event.reservationSid}`),
      });
    }),
    recordNotATask: assign(({ context, event }) => ended(context, event, 'not-a-task')),
    recordParticipant: assign(({ context, event }) =>
      isParticipantEvent(event) ? applyParticipantEvent(context, event) : context,
    ),
    recordGracefulExit: assign(({ context, event }) => {
      assertEvent(event, ['agent.hungUp', 'agent.transferred']);
      return applyGracefulExit(
        context,
        event.workerSid,
        event.type === 'agent.hungUp' ? 'hangup' : 'cold-transfer',
      );
    }),
    recordDrop: assign(({ context, event }) => {
      assertEvent(event, 'participant.left');
      const agent = agentByCall(context, event.callSid);
      const updated = applyParticipantEvent(context, event);
      return agent === undefined ? updated : startRecovery(updated, agent, 'drop', event.at);
    }),
    recordUnload: assign(({ context, event }) => {
      assertEvent(event, 'agent.pageUnloaded');
      const agent = context.agents[event.workerSid];
      return agent === undefined ? context : startRecovery(context, agent, 'refresh', event.at);
    }),
    recordPingTask: assign(({ context, event }) => {
      assertEvent(event, ['effect.pingTaskCreated', 'task.created']);
      return updateRecovery(context, () => ({ pingTaskSid: event.taskSid }));
    }),
    recordPingAccepted: assign(({ context, event }) => {
      assertEvent(event, 'reservation.accepted');
      return updateRecovery(context, () => ({ pingTaskSid: event.taskSid }));
    }),
    recordCustomerQueued: assign(({ context }) =>
      updateRecovery(context, () => ({ customerIn: 'queue', customerTaskKind: 'reconnect' })),
    ),
    recordRequeue: assign(({ context }) =>
      updateRecovery(context, (r) => ({
        customerIn: 'queue',
        customerTaskKind: 'escalation',
        customerTaskSid: null,
        requeues: r.requeues + 1,
      })),
    ),
    recordCustomerTask: assign(({ context, event }) => {
      assertEvent(event, ['task.created', 'task.queueEntered']);
      return updateRecovery(context, () => ({ customerTaskSid: event.taskSid }));
    }),
    recordReservationCompletion: assign(({ context }) =>
      updateRecovery(context, () => ({ reservationCompletionRequested: true })),
    ),
    recordAcceptance: assign(({ context, event }) => {
      assertEvent(event, 'reservation.accepted');
      return updateRecovery(context, () => ({
        customerTaskSid: event.taskSid,
        acceptedByWorkerSid: event.workerSid,
        // Flex names a task's conference after the task SID.
        newConferenceName: event.taskSid,
      }));
    }),
    recordPartyMoveFailure: assign(({ context, event }) => {
      assertEvent(event, 'effect.partyMoveFailed');
      const party = context.recovery?.parties[event.callSid];
      if (context.recovery === null || party === undefined) return context;
      const next = { ...party, status: 'failed' as const, error: event.error };
      return { ...context, recovery: withParty(context.recovery, next) };
    }),
    recordCustomerLocated: assign(({ context }) =>
      updateRecovery(context, () => ({ customerInNewConference: true })),
    ),
    // Queued again for any agent, the last accept and its conference forgotten: stranded on
    // a task whose agent never connected.
    recordRequeueForAnyone: assign(({ context }) => updateRecovery(context, requeuedForAnyone)),
    // Thrown out of the new conference when it was lost under them: likewise, and the
    // parties sent there are moved again once someone takes the customer (from wherever
    // they are; a move of a call that ended with that conference fails and is reported).
    recordBridgeLost: assign(({ context }) =>
      updateRecovery(context, (r) => ({
        ...requeuedForAnyone(r),
        parties: Object.fromEntries(
          Object.entries(r.parties).map(([callSid, party]) => [
            callSid,
            party.status === 'moving' || party.status === 'joined'
              ? { ...party, status: 'waiting' as const, error: null }
              : party,
          ]),
        ),
      })),
    ),
    recordRedialEvent: assign(({ context, event }) => {
      assertEvent(event, ['redial.partyJoined', 'redial.partyLeft']);
      return applyRedialEvent(context, event);
    }),
    recordCustomerLeftNewConference: assign(({ context }) =>
      failUnarrivedParties(context, 'the customer left the new conference first'),
    ),
    recordRedialTimeout: assign(({ context }) =>
      failUnarrivedParties(
        context,
        context.recovery?.customerInNewConference === true
          ? 'not seen in the new conference in time'
          : 'the customer was not seen in the new conference in time',
      ),
    ),
    recordOldConferenceEnded: assign(({ context }) =>
      // Parties not moved yet went with the old conference; moved ones are still expected.
      updateRecovery(context, (r) => ({
        parties: Object.fromEntries(
          Object.entries(r.parties).map(([sid, p]) => [
            sid,
            p.status === 'waiting' ? { ...p, status: 'gone' as const } : p,
          ]),
        ),
      })),
    ),
    recordGraceful: assign(({ context, event }) => ended(context, event, 'graceful')),
    recordCustomerHungUp: assign(({ context, event }) => ended(context, event, 'customer-hung-up')),
    recordAbandoned: assign(({ context, event }) => ended(context, event, 'abandoned')),
    completeLostCustomerTask: enqueueActions(({ context, enqueue }) => {
      const params = lostCustomerTaskParams(context);
      if (params !== null) enqueue({ type: 'completeReservation', params });
    }),
    recordConferenceEnded: assign(({ context, event }) =>
      ended(context, event, 'conference-ended'),
    ),
    recordHandledByAnotherAgent: assign(({ context, event }) =>
      ended(context, event, 'handled-by-another-agent'),
    ),
    recordRecovered: assign(({ context, event }) =>
      withOutcome(context, {
        kind: 'recovered',
        at: eventTime(context, event),
        workerSid: context.recovery?.acceptedByWorkerSid ?? '',
      }),
    ),
  },
}).createMachine({
  id: 'recovery',
  // XState's pure transition() builds a throwaway initial snapshot without input on every
  // call; a factory that throws there costs a caught exception per step (about 35 µs).
  context: ({ input }: { input: RecoveryInput | undefined }) => ({
    schemaVersion: SCHEMA_VERSION,
    conferenceSid: input?.conferenceSid ?? '',
    lookup: 'none',
    config: { ...defaultConfig, ...input?.config },
    customerCallSid: null,
    taskAttributes: {},
    agents: {},
    participants: {},
    recovery: null,
    recoveries: 0,
    outcome: null,
  }),
  initial: 'connected',
  states: {
    connected: {
      tags: ['connected'],
      meta: copy.connected,
      on: {
        'agent.registered': {
          actions: ['recordRegistration', 'keepRegisteredInConference'],
        },
        // The server learns the call from the conference itself: the plugin's registration
        // confirms what the lookup finds, and is no longer needed for a recovery.
        'conference.discovered': [
          {
            guard: 'isTaskConferenceDiscovered',
            actions: ['recordLookupPending', { type: 'lookupCall', params: lookupCallParams }],
          },
          {
            guard: 'isNonTaskConferenceDiscovered',
            target: 'untracked',
            actions: 'recordNotATask',
          },
        ],
        'effect.callLookedUp': [
          {
            // The agent's leg dropped before the lookup answered: recover now.
            guard: and(['isLookupAnswer', 'isLookupWithAgentGone']),
            target: 'recovering',
            actions: ['recordLookup', 'recordDropFromLookup'],
          },
          { guard: 'isLookupAnswer', actions: ['recordLookup', 'keepLookedUpAgentInConference'] },
          // The plugin registered first: its registration already said the same.
          { guard: 'isLookupPending', actions: 'recordLookupSettled' },
        ],
        'effect.callLookupFailed': { guard: 'isLookupPending', actions: 'recordLookupFailed' },
        'agent.hungUp': [
          {
            guard: and(['isKnownAgent', 'isHangupWithTwoOrFewer']),
            target: 'graceful',
            actions: [
              'recordGracefulExit',
              // Everyone's endConferenceOnExit is false, so the last two would stay connected.
              { type: 'endConference', params: endConferenceForEvent },
              'recordGraceful',
            ],
          },
          { guard: 'isKnownAgent', actions: 'recordGracefulExit' },
        ],
        'agent.transferred': {
          guard: and(['isKnownAgent', 'isColdTransfer']),
          actions: 'recordGracefulExit',
        },
        'agent.pageUnloaded': {
          guard: 'isLastAgentUnload',
          target: 'recovering',
          actions: 'recordUnload',
        },
        'participant.joined': recordConnectedParticipantChange,
        'participant.updated': recordConnectedParticipantChange,
        'participant.left': [
          { guard: 'isLastAgentDrop', target: 'recovering', actions: 'recordDrop' },
          {
            // Flex's flag normally ends the call with the customer. When it was off (someone
            // cleared it), the others would stay in a live conference: end it as Flex would.
            guard: 'isCustomerLeavingOpenConference',
            target: 'customerLeft',
            actions: [
              'recordParticipant',
              { type: 'endConference', params: endConferenceForEvent },
              'recordCustomerHungUp',
            ],
          },
          {
            guard: 'isCustomerLeaving',
            target: 'customerLeft',
            actions: ['recordParticipant', 'recordCustomerHungUp'],
          },
          { guard: 'isFreshParticipantEvent', actions: 'recordParticipant' },
        ],
        // Callbacks sent to an instance that died are lost: Twilio says what they said.
        'reconcile.requested': {
          actions: { type: 'reconcileConference', params: reconcileParams },
        },
        'conference.ended': [
          {
            guard: 'hasGracefulExit',
            target: 'graceful',
            actions: 'recordGraceful',
          },
          {
            target: 'conferenceEnded',
            actions: ['completeLostCustomerTask', 'recordConferenceEnded'],
          },
        ],
      },
    },

    recovering: {
      tags: ['recovering'],
      initial: 'disconnected',
      // Shared by every recovery step unless a step handles the event itself.
      on: {
        'participant.joined': recordParticipantChange,
        'participant.updated': recordParticipantChange,
        'participant.left': [
          {
            guard: 'isCustomerHangup',
            target: 'abandoned',
            actions: [
              'recordParticipant',
              'cancelPendingTasks',
              { type: 'endConference', params: endConferenceForEvent },
              'recordAbandoned',
            ],
          },
          {
            guard: 'isCustomerEndedWithConference',
            target: 'conferenceEnded',
            actions: [
              'recordParticipant',
              'cancelPendingTasks',
              'completeLostCustomerTask',
              'recordConferenceEnded',
            ],
          },
          { guard: 'isFreshParticipantEvent', actions: 'recordParticipant' },
        ],
        'reconcile.requested': {
          actions: { type: 'reconcileConference', params: reconcileParams },
        },
        // Whatever the step: a second ping task of this recovery never reaches the agent's list.
        'effect.pingTaskCreated': { guard: 'isExtraPingTask', actions: 'cancelExtraPingTask' },
        'task.created': { guard: 'isExtraPingTask', actions: 'cancelExtraPingTask' },
        'reservation.accepted': { guard: 'isExtraPingTask', actions: 'cancelExtraPingTask' },
        'conference.ended': [
          {
            guard: 'isConferenceEndedByCustomer',
            target: 'abandoned',
            actions: ['cancelPendingTasks', 'recordAbandoned'],
          },
          {
            guard: 'isConferenceEndWithCustomerInside',
            target: 'conferenceEnded',
            actions: ['cancelPendingTasks', 'completeLostCustomerTask', 'recordConferenceEnded'],
          },
        ],
        'effect.customerCallGone': {
          guard: 'isCustomerCallGone',
          target: 'abandoned',
          actions: [
            'cancelPendingTasks',
            { type: 'endConference', params: endConferenceForEvent },
            'endNewConference',
            'recordAbandoned',
          ],
        },
      },
      states: {
        disconnected: {
          tags: ['blocking'],
          meta: copy.disconnected,
          entry: [
            { type: 'announceHold', params: announceHoldParams },
            { type: 'holdCustomer', params: holdCustomerParams },
            { type: 'tagTask', params: tagOriginalTaskParams },
            'keepEveryoneInConference',
          ],
          always: 'pinging',
        },
        pinging: {
          tags: ['blocking'],
          meta: copy.pinging,
          entry: { type: 'createPingTask', params: createPingTaskParams },
          // The agent's time to accept runs from the task's creation, as TaskRouter's TTL
          // does: a slow create (a REST timeout and its retry) must not eat into it.
          initial: 'creating',
          states: {
            creating: {
              after: {
                // A backstop: the task could not be created in time; someone else must help.
                pingCreateTimeout: {
                  target: '#recovery.recovering.escalated',
                  actions: 'cancelPingTask',
                },
              },
              // From the create's answer or from Event Streams, whichever comes first.
              on: { 'effect.pingTaskCreated': pingTaskKnown, 'task.created': pingTaskKnown },
            },
            offered: {
              after: {
                pingTimeout: {
                  target: '#recovery.recovering.escalated',
                  actions: 'cancelPingTask',
                },
              },
            },
          },
          on: {
            'reservation.accepted': {
              guard: 'isPingAccepted',
              target: 'reconnecting',
              actions: 'recordPingAccepted',
            },
            'task.canceled': { guard: 'isPingCanceled', target: 'escalated' },
          },
        },
        reconnecting: {
          tags: ['blocking', 'customer-queued'],
          meta: copy.reconnecting,
          entry: [
            { type: 'completeTask', params: completePingTaskParams },
            { type: 'enqueueCustomer', params: enqueueReconnectParams },
            'recordCustomerQueued',
          ],
          after: {
            reconnectTimeout: { target: 'escalated' },
          },
          on: {
            ...customerTaskSeen,
            'reservation.accepted': customerTaskAccepted,
            'task.canceled': customerTaskCanceled,
            'customer.dequeued': customerDequeued,
          },
        },
        escalated: {
          tags: ['customer-queued'],
          meta: copy.escalated,
          entry: ['escalateCustomer'],
          on: {
            ...customerTaskSeen,
            'reservation.accepted': [
              customerTaskAccepted,
              {
                // The ping was accepted after we gave up on it: cancel can no longer reach
                // an accepted task, so complete it rather than leave it in the agent's list.
                guard: 'isPingAccepted',
                actions: [
                  'recordPingAccepted',
                  { type: 'completeTask', params: completePingTaskParams },
                ],
              },
            ],
            'task.canceled': customerTaskCanceled,
            'customer.dequeued': customerDequeued,
          },
        },
        redialing: {
          tags: ['customer-connected'],
          meta: copy.redialing,
          // The parties move when the customer is seen in the new conference (moveParties
          // waits for it); joins that came before this recovery knew the new conference are
          // read back by collectRedialJoins.
          entry: [{ type: 'collectRedialJoins', params: collectRedialJoinsParams }, 'moveParties'],
          always: [
            {
              guard: and([
                'isCustomerInNewConference',
                'allPartiesSettled',
                'wasAcceptedBySameWorker',
              ]),
              target: '#recovery.recovered',
              actions: 'recordRecovered',
            },
            {
              guard: and([
                'isCustomerInNewConference',
                'allPartiesSettled',
                not('wasAcceptedBySameWorker'),
              ]),
              target: '#recovery.handledByAnotherAgent',
              actions: 'recordHandledByAnotherAgent',
            },
          ],
          after: {
            // With the customer there, whoever has not arrived by now is reported failed, and
            // nobody is left alone in the old conference. Without a sign of the customer, ask
            // Twilio where they are before deciding anything.
            redialTimeout: [
              {
                guard: and(['isCustomerInNewConference', 'wasAcceptedBySameWorker']),
                target: '#recovery.recovered',
                actions: ['endStrandedOldConference', 'recordRedialTimeout', 'recordRecovered'],
              },
              {
                guard: 'isCustomerInNewConference',
                target: '#recovery.handledByAnotherAgent',
                actions: [
                  'endStrandedOldConference',
                  'recordRedialTimeout',
                  'recordHandledByAnotherAgent',
                ],
              },
              { target: 'locating' },
            ],
          },
          on: {
            // A party that joins the old conference now is moved after the others.
            'participant.joined': [
              {
                guard: 'isEndConferenceOnExitReset',
                actions: ['recordParticipant', 'undoEndConferenceOnExitReset', 'moveParties'],
              },
              { guard: 'isFreshParticipantEvent', actions: ['recordParticipant', 'moveParties'] },
            ],
            'redial.partyJoined': [
              { guard: 'isCustomerRedialJoin', actions: ['recordRedialEvent', 'moveParties'] },
              { guard: 'isPartyRedialJoin', actions: ['holdJoinedParty', 'recordRedialEvent'] },
              { guard: 'isFreshRedialEvent', actions: 'recordRedialEvent' },
            ],
            'redial.partyLeft': [
              {
                guard: 'isCustomerRedialHangup',
                actions: [
                  'recordRedialEvent',
                  'endStrandedOldConference',
                  'recordCustomerLeftNewConference',
                ],
              },
              { guard: 'isFreshRedialEvent', actions: 'recordRedialEvent' },
            ],
            // The move's REST call answering is not the party arriving: its join is.
            'effect.partyMoveFailed': {
              guard: 'isPartyMoveFailure',
              actions: 'recordPartyMoveFailure',
            },
            // The customer is in the new conference now: the customer's leave from the old
            // one is the move, not a hang-up.
            'participant.left': { guard: 'isFreshParticipantEvent', actions: 'recordParticipant' },
            // The old conference ending is normal once everyone left it: parties not moved
            // yet went with it, moved ones are still awaited in the new conference.
            'conference.ended': { actions: 'recordOldConferenceEnded' },
            'effect.customerCallGone': {},
            'customer.dequeued': customerBridgeLost,
          },
        },
        locating: {
          tags: ['customer-connected'],
          meta: copy.locating,
          entry: { type: 'locateCustomer', params: locateCustomerParams },
          on: {
            // Seen at last, or found there by Twilio: the re-dial goes on from there.
            'redial.partyJoined': [
              {
                guard: 'isCustomerRedialJoin',
                target: 'redialing',
                actions: 'recordRedialEvent',
              },
              { guard: 'isFreshRedialEvent', actions: 'recordRedialEvent' },
            ],
            'effect.customerLocated': [
              {
                guard: 'isCustomerLocatedInNewConference',
                target: 'redialing',
                actions: 'recordCustomerLocated',
              },
              {
                // Still queued on a task whose agent never connected: close that task and
                // queue the customer again for any agent, with raised priority.
                guard: 'isCustomerLocatedElsewhere',
                target: 'escalated',
                actions: [
                  { type: 'completeTask', params: completeStrandedTaskParams },
                  'recordRequeueForAnyone',
                  { type: 'enqueueCustomer', params: enqueueAfterStrandedParams },
                ],
              },
            ],
            'customer.dequeued': customerBridgeLost,
          },
        },
      },
    },

    recovered: { type: 'final', tags: ['final'], meta: copy.recovered },
    abandoned: { type: 'final', tags: ['final'], meta: copy.abandoned },
    graceful: { type: 'final', tags: ['final'], meta: copy.graceful },
    customerLeft: { type: 'final', tags: ['final'], meta: copy.customerLeft },
    conferenceEnded: { type: 'final', tags: ['final'], meta: copy.conferenceEnded },
    handledByAnotherAgent: { type: 'final', tags: ['final'], meta: copy.handledByAnotherAgent },
    untracked: { type: 'final', tags: ['final'], meta: copy.untracked },
  },
});

export type RecoveryMachine = typeof recoveryMachine;
