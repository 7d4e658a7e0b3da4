import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import type { RecoveryEvent, RecoverySnapshot, StepEvent } from '../src/index.ts';
import { isEffectType, persist, recoveryMachine, start, step } from '../src/index.ts';
import { AGENT_CALL, CONF, CUSTOMER, joined, left, registered } from './fixtures.ts';
import { interleaving } from './support/stories.ts';

/**
 * step() runs the machine in one actor scope made once, instead of XState's `transition()`,
 * which builds a throwaway actor per call (see step.ts). This pins the shortcut to the real
 * thing: over random interleavings of a call's events, every step gives the snapshot and the
 * actions `transition()` gives.
 */
function actionsOf(actions: readonly { type: string; params?: unknown }[]) {
  return actions.map(({ type, params }) => ({ type, params }));
}

describe('step() in its shared scope', () => {
  it('gives the snapshot and the actions of xstate transition(), event after event', () => {
    fc.assert(
      fc.property(interleaving, (events: StepEvent[]) => {
        let snapshot: RecoverySnapshot = start({ conferenceSid: CONF }).snapshot;
        for (const event of events) {
          const [expected, expectedActions] = transition(
            recoveryMachine,
            snapshot,
            event as RecoveryEvent,
          );
          const result = step(snapshot, event);
          expect(persist(result.snapshot)).toEqual(persist(expected));
          const expectedAll = actionsOf(expectedActions);
          expect(result.effects).toEqual(expectedAll.filter(({ type }) => isEffectType(type)));
          expect(result.schedule.map(({ id }) => id)).toEqual(
            expectedAll
              .filter(({ type, params }) => type === 'xstate.raise' && hasDelay(params))
              .map(({ params }) => (params as { id: string }).id),
          );
          expect(result.cancel).toEqual(
            expectedAll
              .filter(({ type }) => type === 'xstate.cancel')
              .map(({ params }) => (params as { sendId: string }).sendId),
          );
          snapshot = result.snapshot;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps no action of one step for the next', () => {
    // The agent's leg drops: the step that asks for the announcement and the ping timers...
    let snapshot = start({ conferenceSid: CONF }).snapshot;
    for (const event of [registered(), joined(CUSTOMER), joined(AGENT_CALL)]) {
      snapshot = step(snapshot, event).snapshot;
    }
    const drop = left(AGENT_CALL);
    const dropped = step(snapshot, drop);
    expect(dropped.effects.length).toBeGreaterThan(0);
    // ...then the same leave again: a duplicate, which asks for nothing.
    const duplicate = step(dropped.snapshot, drop);
    expect(duplicate.changed).toBe(false);
    expect(duplicate.effects).toEqual([]);
    expect(duplicate.schedule).toEqual([]);
  });
});

function hasDelay(params: unknown): boolean {
  return typeof (params as { delay?: unknown } | undefined)?.delay === 'number';
}
