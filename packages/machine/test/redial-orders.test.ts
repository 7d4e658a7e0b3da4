import { describe, expect, it } from 'vitest';
import { getSimplePaths } from 'xstate/graph';
import type { RecoveryEvent, RecoverySnapshot } from '../src/index.ts';
import { recoveryMachine, stateName, step } from '../src/index.ts';
import {
  CONF,
  CUSTOMER,
  EXTERNAL,
  RECONNECT_TASK,
  SUPERVISOR,
  accepted,
  conferenceEnded,
  partyMoveFailed,
  redialJoined,
  tag,
} from './fixtures.ts';
import { connectedWithThirdParties, pinging, reconnecting } from './support/scenarios.ts';
import { startInput } from './support/traverse.ts';

/**
 * Every order in which the two parties' arrivals in the new conference (or their failed
 * moves) and the old conference's end can arrive, once the customer is in the new
 * conference, as simple paths from xstate/graph: each settles in recovered, only once every
 * party joined or failed, and none asks for anything more.
 */
const id = `${CONF}:1`;

function customerInNewConference(): RecoverySnapshot {
  const run = reconnecting(pinging(connectedWithThirdParties()));
  run.send(accepted(RECONNECT_TASK, tag('reconnect')), redialJoined(CUSTOMER, 50));
  return run.snapshot;
}

function results(snapshot: RecoverySnapshot): RecoveryEvent[] {
  const parties = Object.values(snapshot.context.recovery?.parties ?? {});
  return [
    ...parties
      .filter((p) => p.status === 'moving')
      .flatMap((p, i) => [redialJoined(p.callSid, 60 + i), partyMoveFailed(id, p.callSid)]),
    conferenceEnded(90),
  ];
}

describe('redialing, whatever order the arrivals arrive in', () => {
  const from = customerInNewConference();
  const paths = getSimplePaths(recoveryMachine, {
    fromState: from,
    input: startInput,
    events: results,
    toState: (snapshot) => snapshot.status === 'done',
  });

  it('has a path for every order of the two results, and the old conference ending cuts none short', () => {
    // Each party joined or failed (2 x 2), in either order (x 2) = 8. The old conference's
    // end changes nothing once every party was moved: no path ends early on it.
    expect(paths).toHaveLength(8);
    const ended = step(from, conferenceEnded(90));
    expect(ended.changed).toBe(false);
    expect(stateName(ended.snapshot)).toBe('redialing');
  });

  it('replays each path with step() into recovered, once both parties settled, asking for nothing', () => {
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
      expect([EXTERNAL, SUPERVISOR].map((sid) => parties[sid]?.status).sort()).not.toContain(
        'moving',
      );
    }
  });
});
