import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Effect, RecoverySnapshot, StepEvent, StepResult } from '../src/index.ts';
import { start, stateName, step } from '../src/index.ts';
import {
  CONF,
  CUSTOMER,
  ESCALATION_TASK,
  RECONNECT_TASK,
  canceled,
  conferenceEnded,
  customerCallGone,
  redialLeft,
  redialTimeoutEvent,
  tag,
} from './fixtures.ts';
import { interleaving } from './support/stories.ts';

/**
 * Invariants over random interleavings (see support/stories.ts). Each property replays
 * the events with the pure step() and looks at every result.
 */
const runs = { numRuns: 500 };

interface Played {
  before: RecoverySnapshot;
  event: StepEvent;
  result: StepResult;
}

function play(events: readonly StepEvent[]): Played[] {
  let snapshot = start({ conferenceSid: CONF }).snapshot;
  return events.map((event) => {
    const result = step(snapshot, event);
    const played = { before: snapshot, event, result };
    snapshot = result.snapshot;
    return played;
  });
}

const deliberate = new Set([
  'participant_updated_via_api',
  'conference_ended_via_api',
  'moderator_ended_conference',
]);

/**
 * The customer's own hang-up, applied: a fresh leave of the customer's call for a reason
 * that is not an API move or the conference ending. Once the customer's task was accepted
 * the customer is in the new conference, and a leave of the old one is the move itself.
 */
function isCustomerHangUp({ before, event }: Played): boolean {
  if (event.type !== 'participant.left' || event.callSid !== CUSTOMER) return false;
  if (deliberate.has(event.reason ?? '') || before.status === 'done') return false;
  if (before.context.recovery?.acceptedByWorkerSid != null) return false;
  const known = before.context.participants[event.callSid];
  return known === undefined || event.seq > known.seq;
}

const reconnecting = new Set(['reconnecting', 'redialing', 'recovered']);
const reconnects = (effect: Effect) =>
  effect.type === 'enqueueCustomer' || effect.type === 'moveParticipant';

/** What ends the call for sure: the customer's queued task canceled, or the conference ending. */
/**
 * How the customer or the conference goes away from where the run stopped. After an accept
 * the customer is no longer queued: a re-dial waits for them, then asks Twilio, which finds
 * the call gone.
 */
function terminalEvents(snapshot: RecoverySnapshot): StepEvent[] {
  const recovery = snapshot.context.recovery;
  const kind = recovery?.customerTaskKind;
  if (snapshot.hasTag('customer-queued') && kind != null) {
    return [canceled(kind === 'reconnect' ? RECONNECT_TASK : ESCALATION_TASK, tag(kind), 'hangup')];
  }
  const gone = customerCallGone(recovery?.id ?? '');
  if (stateName(snapshot) === 'redialing') {
    return recovery?.customerInNewConference === true
      ? [redialLeft(CUSTOMER, 'participant_hung_up', 1000)]
      : [redialTimeoutEvent, gone];
  }
  if (stateName(snapshot) === 'locating') return [gone];
  return [conferenceEnded(1000)];
}

describe('random interleavings of Twilio events', () => {
  it('never throw', () => {
    fc.assert(
      fc.property(interleaving, (events) => {
        expect(() => play(events)).not.toThrow();
      }),
      runs,
    );
  });

  it('never reconnect after the customer hung up', () => {
    fc.assert(
      fc.property(interleaving, (events) => {
        const played = play(events);
        const hangUp = played.findIndex(isCustomerHangUp);
        if (hangUp === -1) return;
        for (const p of played.slice(hangUp)) {
          expect(p.result.effects.filter(reconnects)).toEqual([]);
          const entered = stateName(p.result.snapshot) !== stateName(p.before);
          if (entered) expect(reconnecting.has(stateName(p.result.snapshot))).toBe(false);
        }
      }),
      runs,
    );
  });

  it('ask for one Recovery Ping per recovery id', () => {
    fc.assert(
      fc.property(interleaving, (events) => {
        const pings = play(events)
          .flatMap((p) => p.result.effects)
          .flatMap((e) => (e.type === 'createPingTask' ? [e.params.recoveryId] : []));
        expect(new Set(pings).size).toBe(pings.length);
      }),
      runs,
    );
  });

  it('reach a final state once the customer or the conference is gone', () => {
    fc.assert(
      fc.property(interleaving, (events) => {
        const played = play(events);
        const last = played.at(-1)?.result.snapshot ?? start({ conferenceSid: CONF }).snapshot;
        const end = terminalEvents(last).reduce<{ snapshot: RecoverySnapshot }>(
          (at, event) => step(at.snapshot, event),
          { snapshot: last },
        );
        expect({ state: stateName(end.snapshot), status: end.snapshot.status }).toMatchObject({
          status: 'done',
        });
        expect(end.snapshot.context.outcome).not.toBeNull();
      }),
      runs,
    );
  });

  it('never reuse an effect key for a different effect', () => {
    fc.assert(
      fc.property(interleaving, (events) => {
        const byKey = new Map<string, string>();
        for (const effect of play(events).flatMap((p) => p.result.effects)) {
          const seen = byKey.get(effect.params.key);
          const now = JSON.stringify(effect);
          if (seen !== undefined) expect(now).toBe(seen);
          byKey.set(effect.params.key, now);
        }
      }),
      runs,
    );
  });

  it('treat a late redelivery of an applied event as no change, asking for nothing new', () => {
    fc.assert(
      fc.property(interleaving, fc.nat(), fc.nat(), (events, pickEvent, pickLater) => {
        if (events.length === 0) return;
        const original = pickEvent % events.length;
        const at = original + 1 + (pickLater % (events.length - original));
        const played = play(events.slice(0, at));
        const event = events[original];
        const now = played.at(-1)?.result.snapshot;
        // An event ignored the first time (it came too early) may rightly apply later.
        if (event === undefined || now === undefined || !played[original]?.result.changed) return;
        const again = step(now, event);
        expect(again.changed).toBe(false);
        const keys = new Set(played.flatMap((p) => p.result.effects).map((e) => e.params.key));
        expect(again.effects.filter((e) => !keys.has(e.params.key))).toEqual([]);
      }),
      runs,
    );
  });

  it('treat an immediate redelivery as no change, asking for nothing new', () => {
    fc.assert(
      fc.property(interleaving, fc.nat(), (events, pick) => {
        const played = play(events);
        const chosen = played[pick % Math.max(played.length, 1)];
        if (chosen === undefined) return;
        const again = step(chosen.result.snapshot, chosen.event);
        expect(again.changed).toBe(false);
        const keys = new Set(played.flatMap((p) => p.result.effects).map((e) => e.params.key));
        expect(again.effects.filter((e) => !keys.has(e.params.key))).toEqual([]);
      }),
      runs,
    );
  });
});
