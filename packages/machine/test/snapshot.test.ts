import { describe, expect, it } from 'vitest';
import type { StepEvent } from '../src/index.ts';
import {
  SCHEMA_VERSION,
  SnapshotVersionError,
  copy,
  describeSnapshot,
  metaOf,
  persist,
  restore,
  step,
} from '../src/index.ts';
import {
  CONF,
  CUSTOMER,
  AGENT_CALL,
  EXTERNAL,
  RECONNECT_TASK,
  Run,
  SUPERVISOR,
  accepted,
  partyMoveFailed,
  partyMoved,
  pingTaskCreated,
  queueEntered,
  left,
  redialJoined,
  tag,
} from './fixtures.ts';
import { V3_PING_TIMEOUT } from '../src/migrations.ts';
import { connectedWithThirdParties, pinging, reconnecting } from './support/scenarios.ts';

const id = `${CONF}:1`;

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

/** What Redis holds is JSON: persist, serialise, parse, restore. */
const throughJson = (run: Run) => restore(JSON.parse(JSON.stringify(persist(run.snapshot))));

describe('snapshot persist and restore', () => {
  it('round-trips mid-recovery, and the restored snapshot continues exactly like the live one', () => {
    const run = reconnecting(pinging(connectedWithThirdParties()));
    run.send(queueEntered(RECONNECT_TASK, tag('reconnect')));
    const restored = throughJson(run);

    expect(restored.value).toEqual(run.snapshot.value);
    expect(restored.context).toEqual(run.snapshot.context);
    expect(restored.status).toBe('active');
    expect(describeSnapshot(restored)).toEqual(describeSnapshot(run.snapshot));

    const rest: StepEvent[] = [
      accepted(RECONNECT_TASK, tag('reconnect')),
      redialJoined(CUSTOMER),
      partyMoved(id, EXTERNAL),
      redialJoined(EXTERNAL),
      partyMoveFailed(id, SUPERVISOR),
    ];
    let live = run.snapshot;
    let again = restored;
    for (const event of rest) {
      const a = step(live, event);
      const b = step(again, event);
      expect(b.effects).toEqual(a.effects);
      expect(b.snapshot.value).toEqual(a.snapshot.value);
      live = a.snapshot;
      again = b.snapshot;
    }
    expect(describeSnapshot(again).state).toBe('recovered');
  });

  it('stores the schema version with the state value and context', () => {
    const run = pinging();
    const stored = persist(run.snapshot);
    expect(stored).toEqual({
      schemaVersion: SCHEMA_VERSION,
      value: { recovering: { pinging: 'creating' } },
      context: run.snapshot.context,
    });
  });

  it('restores a final snapshot as done', () => {
    const run = reconnecting();
    run.send(accepted(RECONNECT_TASK, tag('reconnect')), redialJoined(CUSTOMER));
    const restored = throughJson(run);
    expect(restored.status).toBe('done');
    expect(describeSnapshot(restored)).toMatchObject({ state: 'recovered', final: true });
  });

  it.each([0, 99, -1, 1.5, '1', null])('rejects schemaVersion %s', (schemaVersion) => {
    const stored = { ...persist(pinging().snapshot), schemaVersion };
    const error = thrownBy(() => restore(stored));
    expect(error).toBeInstanceOf(SnapshotVersionError);
    expect(error).toMatchObject({ found: schemaVersion, supported: SCHEMA_VERSION });
  });

  it.each([
    ['null', null],
    ['a string', 'connected'],
    ['a number', 42],
    ['an array', [1, 2]],
    ['an empty object', {}],
    ['no context', { schemaVersion: 1, value: 'connected' }],
    ['no value', { schemaVersion: 1, context: {} }],
    ['a context that is not an object', { schemaVersion: 1, value: 'connected', context: 'x' }],
  ])('rejects garbage: %s', (_what, stored) => {
    expect(() => restore(stored)).toThrow(SnapshotVersionError);
  });

  it('migrates a version-1 snapshot through the schema-version table: tracking is now connected', () => {
    const live = Run.connected();
    const v1 = {
      ...persist(live.snapshot),
      schemaVersion: 1,
      value: 'tracking',
      context: { ...live.snapshot.context, schemaVersion: 1 },
    };
    const restored = restore(JSON.parse(JSON.stringify(v1)));
    expect(restored.value).toBe('connected');
    expect(restored.context.schemaVersion).toBe(SCHEMA_VERSION);
    expect(persist(restored).schemaVersion).toBe(SCHEMA_VERSION);
    // It goes on like a snapshot written by this build.
    const event = left(AGENT_CALL, 'participant_hung_up', 50);
    expect(step(restored, event).snapshot.value).toEqual(step(live.snapshot, event).snapshot.value);
  });

  it('migrates a version-1 snapshot mid-recovery to the same step', () => {
    const run = pinging();
    const v1 = {
      ...persist(run.snapshot),
      schemaVersion: 1,
      value: { recovering: 'pinging' },
      context: { ...run.snapshot.context, schemaVersion: 1 },
    };
    const restored = restore(JSON.parse(JSON.stringify(v1)));
    expect(restored.value).toEqual({ recovering: { pinging: 'creating' } });
    expect(restored.context).toEqual(run.snapshot.context);
  });

  /** A version-3 `pinging` snapshot: one step, no create timeout in its config. */
  function v3Pinging(run: Run) {
    const current = persist(run.snapshot);
    const { pingCreateTimeoutMs: _create, ...config } = current.context.config;
    return {
      ...current,
      schemaVersion: 3,
      value: { recovering: 'pinging' },
      context: { ...current.context, schemaVersion: 3, config },
    };
  }

  it('migrates a version-3 ping: offered once its task is known, else still being created', () => {
    const creating = restore(JSON.parse(JSON.stringify(v3Pinging(pinging()))));
    expect(creating.value).toEqual({ recovering: { pinging: 'creating' } });
    expect(creating.context.config.pingCreateTimeoutMs).toBe(30_000);
    const known = pinging();
    known.send(pingTaskCreated(id));
    const offered = restore(JSON.parse(JSON.stringify(v3Pinging(known))));
    expect(offered.value).toEqual({ recovering: { pinging: 'offered' } });
  });

  it("keeps a version-3 ping's timer: the older build's timeout escalates either step", () => {
    const creating = restore(JSON.parse(JSON.stringify(v3Pinging(pinging()))));
    const known = pinging();
    known.send(pingTaskCreated(id));
    const offered = restore(JSON.parse(JSON.stringify(v3Pinging(known))));
    for (const snapshot of [creating, offered]) {
      const fired = step(snapshot, { type: V3_PING_TIMEOUT });
      expect(describeSnapshot(fired.snapshot).state).toBe('escalated');
      expect(fired.effects.map((e) => e.type)).toContain('cancelTask');
    }
    // Anywhere else it is an old timer with nothing left to bound.
    const later = reconnecting();
    expect(step(later.snapshot, { type: V3_PING_TIMEOUT }).changed).toBe(false);
  });

  it('migrates a version-2 re-dial: its parties were moved on acceptance, the timeout is the default', () => {
    const run = reconnecting(pinging(connectedWithThirdParties()));
    run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    const current = persist(run.snapshot);
    const { redialTimeoutMs: _timeout, ...config } = current.context.config;
    const recovery = current.context.recovery;
    if (recovery === null) throw new Error('a recovery is running');
    const {
      newConferenceSid: _sid,
      customerInNewConference: _in,
      newConferenceSeq: _seq,
      ...v2Recovery
    } = recovery;
    const v2 = {
      ...current,
      schemaVersion: 2,
      context: { ...current.context, schemaVersion: 2, config, recovery: v2Recovery },
    };
    const restored = restore(JSON.parse(JSON.stringify(v2)));
    expect(restored.value).toEqual({ recovering: 'redialing' });
    expect(restored.context.config.redialTimeoutMs).toBe(30_000);
    expect(restored.context.recovery).toMatchObject({
      newConferenceSid: null,
      customerInNewConference: true,
      newConferenceSeq: {},
    });
  });

  it('rejects a state this build does not have', () => {
    const stored = { ...persist(pinging().snapshot), value: { recovering: 'teleporting' } };
    const error = thrownBy(() => restore(stored));
    expect(error).toBeInstanceOf(SnapshotVersionError);
    expect(String(error)).toContain('teleporting');
  });
});

describe('meta of a snapshot', () => {
  it('is the copy of the leaf state', () => {
    expect(metaOf(Run.connected().snapshot)).toEqual(copy.connected);
    expect(metaOf(pinging().snapshot)).toEqual(copy.pinging);
    expect(metaOf(pinging().snapshot).modal).toMatchObject({ blocking: true });
    const done = reconnecting();
    done.send(accepted(RECONNECT_TASK, tag('reconnect')), redialJoined(CUSTOMER));
    expect(metaOf(done.snapshot).modal).toMatchObject({ tone: 'success', autoCloseMs: 4000 });
  });
});
