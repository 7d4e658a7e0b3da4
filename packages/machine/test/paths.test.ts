import { beforeAll, describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate';
import type { RecoverySnapshot, StepEvent } from '../src/index.ts';
import { recoveryMachine, start, step } from '../src/index.ts';
import { AGENT_CALL, CUSTOMER, EXTERNAL, joined, left, registered } from './fixtures.ts';
import { allStateIds, allTransitionIds, traceStep } from './support/definition.ts';
import { effectMismatches, expectedEffects } from './support/oracle.ts';
import type { Phase } from './support/samples.ts';
import { explore, replay, serialize, startInput } from './support/traverse.ts';

/**
 * Every state and transition of the chart, reached by shortest paths that xstate/graph
 * generates and replayed with the pure step(). Three traversals: the connected call, and a
 * recovery started with and without a third party (redialing needs one).
 */
const connectedCall = [
  registered(),
  joined(CUSTOMER, { label: 'customer', seq: 11 }),
  joined(AGENT_CALL, { label: 'worker', seq: 12 }),
];
const scenarios: { name: string; phase: Phase; prefix: StepEvent[] }[] = [
  { name: 'connected call', phase: 'connected', prefix: [] },
  {
    name: 'recovery with a third party',
    phase: 'recovering',
    prefix: [
      ...connectedCall,
      joined(EXTERNAL, { label: 'external', eoe: false, seq: 14 }),
      left(AGENT_CALL, 'participant_hung_up', 42),
    ],
  },
  {
    name: 'recovery of a two-party call',
    phase: 'recovering',
    prefix: [...connectedCall, left(AGENT_CALL, 'participant_hung_up', 42)],
  },
];

interface Replayed {
  paths: number;
  steps: number;
  states: Set<string>;
  transitions: Set<string>;
  problems: string[];
}

function replayAll(): Replayed {
  const out: Replayed = {
    paths: 0,
    steps: 0,
    states: new Set(),
    transitions: new Set(),
    problems: [],
  };
  const first = start(startInput);
  if (first.effects.length > 0) out.problems.push('start() asked for effects');
  for (const node of getStateNodes(recoveryMachine.root, first.snapshot.value)) {
    out.states.add(node.id);
  }
  // Paths share their beginnings: each distinct step is replayed and checked once.
  const replayedSteps = new Map<RecoverySnapshot, Map<string, RecoverySnapshot>>();
  const replayStep = (snapshot: RecoverySnapshot, event: StepEvent, where: string) => {
    const known = replayedSteps.get(snapshot) ?? new Map<string, RecoverySnapshot>();
    replayedSteps.set(snapshot, known);
    const key = JSON.stringify(event);
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    const trace = traceStep(snapshot, event);
    trace.states.forEach((id) => out.states.add(id));
    trace.transitions.forEach((id) => out.transitions.add(id));
    const result = step(snapshot, event);
    out.steps += 1;
    for (const problem of effectMismatches(
      result.effects,
      expectedEffects(snapshot, event, result.snapshot),
    )) {
      out.problems.push(`${where}: ${problem}`);
    }
    const changed = serialize(snapshot) !== serialize(result.snapshot);
    if (result.changed !== changed) {
      out.problems.push(`${where}: changed is ${result.changed}, expected ${changed}`);
    }
    known.set(key, result.snapshot);
    return result.snapshot;
  };
  for (const scenario of scenarios) {
    const from = replay(scenario.prefix);
    for (const path of explore(scenario.phase, from)) {
      out.paths += 1;
      let snapshot = first.snapshot;
      scenario.prefix.forEach((event, index) => {
        snapshot = replayStep(snapshot, event, `${scenario.name}, prefix ${index + 1}`);
      });
      // steps[0] is the path's start (xstate.init); every later step carries its event.
      path.steps.slice(1).forEach(({ event, state }, index) => {
        const where = `${scenario.name}, step ${index + 1} (${event.type})`;
        snapshot = replayStep(snapshot, event, where);
        if (serialize(state) !== serialize(snapshot)) {
          out.problems.push(`${where}: replay left the generated path`);
        }
      });
    }
  }
  return out;
}

describe('generated paths', () => {
  let replayed: Replayed;
  beforeAll(() => {
    replayed = replayAll();
    // About a minute on a quiet 2-core machine; the whole suite runs beside it in CI.
  }, 300_000);

  it('replays every path with step(), each step asking for exactly the effects it implies', () => {
    expect(replayed.paths).toBeGreaterThan(100);
    // Distinct steps: shared beginnings of paths are replayed once.
    expect(replayed.steps).toBeGreaterThan(replayed.paths);
    expect(replayed.problems.slice(0, 20)).toEqual([]);
  });

  it('reaches every state node of the machine, final ones included', () => {
    const missed = allStateIds().filter((id) => !replayed.states.has(id));
    expect(missed).toEqual([]);
  });

  it('takes every transition of the machine (state, event, guarded candidate, target)', () => {
    const all = allTransitionIds();
    // The walk sees delayed and eventless transitions, and guarded candidates apart.
    expect(all).toEqual(
      expect.arrayContaining([
        'recovery.recovering.pinging.offered --xstate.after.pingTimeout.recovery.recovering.pinging.offered[0]--> recovery.recovering.escalated',
        'recovery.recovering.pinging.creating --task.created[0]--> recovery.recovering.pinging.offered',
        'recovery.recovering.disconnected --always[0]--> recovery.recovering.pinging',
        'recovery.recovering.redialing --always[1]--> recovery.handledByAnotherAgent',
        'recovery.connected --participant.left[3]--> (stays)',
      ]),
    );
    expect(all.filter((id) => !replayed.transitions.has(id))).toEqual([]);
  });
});
