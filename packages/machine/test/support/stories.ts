import fc from 'fast-check';
import type { LifelineTag, RecoveryEvent, StepEvent } from '../../src/index.ts';
import {
  AGENT2_CALL,
  AGENT_CALL,
  CONF,
  CUSTOMER,
  ESCALATION_TASK,
  EXTERNAL,
  PING_TASK,
  RECONNECT_TASK,
  RESERVATION,
  WORKER,
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
  registered,
  sidOf,
  tag,
  taskCreated,
  transferred,
} from '../fixtures.ts';

/**
 * Random interleavings of what Twilio, TaskRouter, the plugin and the effect runner report
 * about one call. A story is a plausible course of events in order; the interleaving then
 * swaps neighbours, repeats deliveries late (at-least-once) and mixes in noise, which is
 * how callbacks and Event Streams actually arrive.
 */
const RECOVERY_ID = `${CONF}:1`;
const leaveReasons = [
  'participant_hung_up',
  'participant_updated_via_api',
  'conference_ended_via_api',
  'moderator_ended_conference',
  'participant_add_failed',
] as const;

const story = fc.record({
  external: fc.boolean(),
  secondAgent: fc.boolean(),
  resets: fc.subarray([CUSTOMER, AGENT_CALL, EXTERNAL, AGENT2_CALL]),
  // Weighted towards a recovery, so most runs get past connected.
  ending: fc.constantFrom(
    'drop',
    'drop',
    'drop',
    'unload',
    'unload',
    'hangup',
    'cold',
    'customerFirst',
    'none',
  ),
  pingReport: fc.subarray(['effect', 'created'] as const),
  ping: fc.constantFrom('accepted', 'accepted', 'canceled', 'timeout', 'acceptedByOther', 'none'),
  queue: fc.subarray(['created', 'entered', 'enteredAgain', 'customerMoved'] as const),
  reconnect: fc.constantFrom(
    'same',
    'same',
    'timeoutThenOther',
    'timeoutThenSame',
    'canceled',
    'none',
  ),
  // One report per move: the effect runner reports a move as done or as failed, never both.
  moveReport: fc.constantFrom('moved', 'failed', 'none'),
  partyLeavesOldConference: fc.boolean(),
  // In about a third of the stories the customer hangs up, at any point.
  customerHangsUpAt: fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.nat({ max: 40 }) },
  ),
  customerReason: fc.constantFrom(...leaveReasons),
});

type Story = typeof story extends fc.Arbitrary<infer T> ? T : never;

function tell(s: Story): StepEvent[] {
  let seq = 0;
  const next = () => (seq += 1);
  const events: StepEvent[] = [
    registered(),
    joined(CUSTOMER, { label: 'customer', seq: next() }),
    joined(AGENT_CALL, { label: 'worker', seq: next() }),
  ];
  if (s.external) events.push(joined(EXTERNAL, { label: 'external', seq: next() }));
  if (s.secondAgent) {
    events.push(
      registered({
        workerSid: WORKER2,
        workerCallSid: AGENT2_CALL,
        reservationSid: sidOf('WR', 2),
      }),
      joined(AGENT2_CALL, { label: 'worker', seq: next() }),
    );
  }
  for (const callSid of s.resets) events.push(modified(callSid, true, next()));

  const agentCalls = s.secondAgent ? [AGENT2_CALL, AGENT_CALL] : [AGENT_CALL];
  switch (s.ending) {
    case 'drop':
      for (const callSid of agentCalls) events.push(left(callSid, 'participant_hung_up', next()));
      break;
    case 'unload':
      events.push(pageUnloaded(), left(AGENT_CALL, 'participant_hung_up', next()));
      break;
    case 'hangup':
      events.push(hungUp(s.external ? 3 : 2), left(AGENT_CALL, 'participant_hung_up', next()));
      break;
    case 'cold':
      events.push(transferred('COLD'), left(AGENT_CALL, 'participant_hung_up', next()));
      break;
    case 'customerFirst':
      events.push(left(CUSTOMER, 'participant_hung_up', next()));
      break;
    case 'none':
      break;
  }

  const ping = tag('ping');
  if (s.pingReport.includes('effect')) events.push(pingTaskCreated(RECOVERY_ID));
  if (s.pingReport.includes('created')) events.push(taskCreated(PING_TASK, ping));
  let kind: LifelineTag['kind'] = 'reconnect';
  if (s.ping === 'accepted') events.push(accepted(PING_TASK, ping));
  if (s.ping === 'acceptedByOther') events.push(accepted(PING_TASK, ping, WORKER2));
  if (s.ping === 'canceled') events.push(canceled(PING_TASK, ping));
  // The agent's time runs once the task is known; before that, only the create's bound.
  if (s.ping === 'timeout') {
    events.push(s.pingReport.length > 0 ? pingTimeoutEvent : pingCreateTimeoutEvent);
  }
  if (s.ping === 'canceled' || s.ping === 'timeout') kind = 'escalation';

  const taskSid = kind === 'reconnect' ? RECONNECT_TASK : ESCALATION_TASK;
  const customerTag = tag(kind);
  for (const what of s.queue) {
    if (what === 'created') events.push(taskCreated(taskSid, customerTag));
    if (what === 'entered' || what === 'enteredAgain') {
      events.push(queueEntered(taskSid, customerTag));
    }
    if (what === 'customerMoved') {
      events.push(left(CUSTOMER, 'participant_updated_via_api', next()));
    }
  }
  if (s.reconnect === 'same') events.push(accepted(taskSid, customerTag));
  if (s.reconnect === 'timeoutThenOther' || s.reconnect === 'timeoutThenSame') {
    events.push(
      reconnectTimeoutEvent,
      accepted(taskSid, customerTag, s.reconnect === 'timeoutThenOther' ? WORKER2 : WORKER),
    );
  }
  if (s.reconnect === 'canceled') events.push(canceled(taskSid, customerTag, 'hangup'));

  if (s.partyLeavesOldConference) {
    events.push(left(EXTERNAL, 'participant_updated_via_api', next()));
  }
  if (s.moveReport === 'moved') events.push(partyMoved(RECOVERY_ID, EXTERNAL));
  if (s.moveReport === 'failed') events.push(partyMoveFailed(RECOVERY_ID, EXTERNAL));

  if (s.customerHangsUpAt !== null) {
    const at = Math.min(s.customerHangsUpAt, events.length);
    // Its SequenceNumber is the one Twilio gave it when it happened, wherever it is delivered.
    events.splice(at, 0, left(CUSTOMER, s.customerReason, 100 + at));
  }
  return events;
}

/** Deliveries that belong to no step of this call: stale recoveries, other tasks, odd callbacks. */
const noise: fc.Arbitrary<StepEvent> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom<StepEvent>(
      accepted(PING_TASK, tag('ping', 0)),
      canceled(RECONNECT_TASK, tag('reconnect', 0)),
      queueEntered(ESCALATION_TASK, tag('escalation', 7)),
      customerCallGone(`${CONF}:0`),
      partyMoved(`${CONF}:0`, EXTERNAL),
      pageUnloaded(WORKER2),
      hungUp(2, sidOf('WK', 9)),
      transferred('WARM'),
      { type: 'conference.noted', at: 0, seq: 0, event: 'participant-speech-start' },
      { type: 'conference.started', at: 0, seq: 0 },
      {
        type: 'task.completed',
        at: 0,
        taskSid: sidOf('WT', 9),
        attributes: {},
        lifeline: null,
      },
      {
        type: 'reservation.rejected',
        at: 0,
        taskSid: PING_TASK,
        attributes: {},
        lifeline: tag('ping'),
        reservationSid: RESERVATION,
        workerSid: WORKER,
      },
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        callSid: fc.constantFrom(CUSTOMER, AGENT_CALL, EXTERNAL, AGENT2_CALL),
        seq: fc.nat({ max: 60 }),
        eoe: fc.boolean(),
        reason: fc.constantFrom(...leaveReasons),
        kind: fc.constantFrom('joined', 'updated', 'left'),
      })
      .map(({ callSid, seq, eoe, reason, kind }): RecoveryEvent => {
        if (kind === 'joined') return joined(callSid, { seq, eoe });
        if (kind === 'updated') return modified(callSid, eoe, seq);
        return left(callSid, reason, seq);
      }),
  },
  // Rare: an early conference end cuts the story short.
  { weight: 1, arbitrary: fc.nat({ max: 60 }).map((seq) => conferenceEnded(seq)) },
);

/** A story, then neighbour swaps, late duplicates and noise. */
export const interleaving: fc.Arbitrary<StepEvent[]> = story.chain((s) => {
  const told = tell(s);
  return fc
    .record({
      swaps: fc.array(fc.nat({ max: told.length }), { maxLength: 12 }),
      duplicates: fc.array(fc.tuple(fc.nat({ max: told.length }), fc.nat({ max: 20 })), {
        maxLength: 6,
      }),
      noise: fc.array(fc.tuple(noise, fc.nat({ max: told.length })), { maxLength: 3 }),
    })
    .map(({ swaps, duplicates, noise: extra }) => {
      const events = [...told];
      for (const i of swaps) {
        const a = events[i];
        const b = events[i + 1];
        if (a !== undefined && b !== undefined) {
          events[i] = b;
          events[i + 1] = a;
        }
      }
      for (const [from, later] of duplicates) {
        const event = events[from];
        if (event !== undefined) events.splice(Math.min(from + 1 + later, events.length), 0, event);
      }
      for (const [event, at] of extra) events.splice(at, 0, event);
      return events;
    });
});
