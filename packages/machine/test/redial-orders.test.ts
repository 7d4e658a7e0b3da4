import { describe, expect, it } from 'vitest';
import { getSimplePaths } from 'xstate/graph';
import type { RecoveryEvent, RecoverySnapshot } from '../src/index.ts';
import { recoveryMachine, stateName, step } from '../src/index.ts';
import {
  CONF,
  EXTERNAL,
  RECONNECT_TASK,
  SUPERVISOR,
  accepted,
  conferenceEnded,
  partyMoveFailed,
  partyMoved,
  tag,
} from './fixtures.ts';
import { connectedWithThirdParties, pinging, reconnecting } from './support/scenarios.ts';
import { startInput } from './support/traverse.ts';

/**
 * Every order in which the two parties' move results (and the old conference's end) can
 * arrive, as simple paths from xstate/graph: each settles in recovered, and only once
 * nothing is left to wait for.
 */
const id = `${CONF}:1`;

function redialing(): RecoverySnapshot {
  const run = reconnecting(pinging(connectedWithThirdParties()));
  run.send(accepted(RECONNECT_TASK, tag('reconnect')));
  return run.snapshot;
}

function results(snapshot: RecoverySnapshot): RecoveryEvent[] {
  const parties = Object.values(snapshot.context.recovery?.parties ?? {});
  return [
    ...parties
      .filter((p) => p.status === 'moving')
      .flatMap((p) => [partyMoved(id, p.callSid), partyMoveFailed(id, p.callSid)]),
    conferenceEnded(90),
  ];
}

describe('redialing, whatever order the results arrive in', () => {
  const from = redialing();
  const paths = getSimplePaths(recoveryMachine, {
    fromState: from,
    input: startInput,
    events: results,
    toState: (snapshot) => snapshot.status === 'done',
  });

  it('has a path for every order of the two results, and for the conference ending early', () => {
    // Both results: each party moved or failed (2 x 2), in either order (x 2) = 8; the
    // conference ending first = 1, or after one party's result (2 parties x 2) = 4.
    expect(paths).toHaveLength(13);
  });

  it('replays each path with step() into recovered, asking for no further effects', () => {
    for (const path of paths) {
      let snapshot = from;
      const events = path.steps.slice(1).map((s) => s.event);
      events.forEach((event, index) => {
        const result = step(snapshot, event);
        expect(result.effects).toEqual([]);
        const last = index === events.length - 1;
        expect(stateName(result.snapshot)).toBe(last ? 'recovered' : 'redialing');
        snapshot = result.snapshot;
      });
      const parties = snapshot.context.recovery?.parties ?? {};
      const settled = [EXTERNAL, SUPERVISOR].filter((sid) => parties[sid]?.status !== 'moving');
      const endedEarly = events.at(-1)?.type === 'conference.ended';
      expect(settled.length === 2 || endedEarly).toBe(true);
    }
  });
});
