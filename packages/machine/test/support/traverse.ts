import type { StatePath } from 'xstate/graph';
import { getShortestPaths } from 'xstate/graph';
import type { RecoveryEvent, RecoverySnapshot, StepEvent } from '../../src/index.ts';
import { recoveryMachine, start, step } from '../../src/index.ts';
import { CONF } from '../fixtures.ts';
import type { Phase } from './samples.ts';
import { isSampled, sampleEvents } from './samples.ts';
import { traceStep } from './definition.ts';

export const startInput = { conferenceSid: CONF };

export function replay(events: readonly StepEvent[]): RecoverySnapshot {
  return events.reduce(
    (snapshot, event) => step(snapshot, event).snapshot,
    start(startInput).snapshot,
  );
}

/** What a vertex of the traversal is: the exact state and context. */
export function serialize(snapshot: RecoverySnapshot): string {
  return JSON.stringify({ value: snapshot.value, context: snapshot.context });
}

/**
 * Shortest paths to every (state, context, last transition) the sampler reaches from `from`.
 * Keeping the transition that led to a vertex in its identity makes every transition the
 * end of some shortest path, including those that change nothing (a forbidden event) or
 * lead where another transition already does.
 */
export function explore(
  phase: Phase,
  from: RecoverySnapshot,
): StatePath<RecoverySnapshot, RecoveryEvent>[] {
  // Traced once per event object, so both passes of the traversal agree on the vertex.
  const via = new WeakMap<object, string>();
  const keys = new WeakMap<RecoverySnapshot, string>();
  const viaOf = (before: RecoverySnapshot, event: StepEvent) => {
    const known = via.get(event);
    if (known !== undefined) return known;
    const traced = traceStep(before, event).transitions.join(' + ');
    via.set(event, traced);
    return traced;
  };
  return getShortestPaths(recoveryMachine, {
    fromState: from,
    input: startInput,
    // The graph API is typed with the machine's events; XState's own after-events (the
    // timeouts) are StepEvents outside that union, and the traversal sends them as is.
    events: (snapshot) => sampleEvents(phase, snapshot) as RecoveryEvent[],
    filterEvents: (_snapshot, event) => isSampled(event),
    serializeState: (snapshot, event, before) => {
      const taken = event === undefined || before === undefined ? 'start' : viaOf(before, event);
      // An event no transition takes leaves the machine where it was: the same vertex.
      const key =
        taken === '' && before !== undefined
          ? (keys.get(before) ?? serialize(before))
          : `${serialize(snapshot)} via ${taken}`;
      keys.set(snapshot, key);
      return key;
    },
  });
}
