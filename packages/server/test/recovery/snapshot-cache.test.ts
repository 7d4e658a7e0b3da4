import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { StepEvent } from '@lifeline/machine';
import { RecoveryEngine } from '../../src/recovery/engine.ts';
import { SnapshotCache } from '../../src/recovery/snapshot-cache.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import type { RedisClient } from '../../src/store/scripts.ts';
import { REDIS_URL, deletePrefix, uniquePrefix } from '../store/backends.ts';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  RESERVATION,
  TASK,
  WORKER,
  WORKFLOW,
} from '../support/payloads.ts';

const registered: StepEvent = {
  type: 'agent.registered',
  at: 1,
  taskSid: TASK,
  workflowSid: WORKFLOW,
  taskAttributes: {},
  customerCallSid: CUSTOMER,
  workerSid: WORKER,
  reservationSid: RESERVATION,
  workerCallSid: AGENT_CALL,
  workerName: 'Alice',
};

function hold(seq: number, on: boolean): StepEvent {
  return {
    type: 'participant.updated',
    at: seq,
    seq,
    callSid: CUSTOMER,
    label: 'customer',
    endConferenceOnExit: false,
    hold: on,
    change: 'hold',
  };
}

describe('SnapshotCache', () => {
  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new SnapshotCache(2);
    const entry = (version: number) => ({ version, snapshot: {} as never });
    cache.set('a', entry(1));
    cache.set('b', entry(1));
    expect(cache.get('a')?.version).toBe(1); // a is now the most recent
    cache.set('c', entry(1));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.version).toBe(1);
    expect(cache.get('c')?.version).toBe(1);
    const none = new SnapshotCache(0);
    none.set('a', entry(1));
    expect(none.get('a')).toBeUndefined();
  });
});

for (const backend of ['ioredis-mock', 'redis'] as const) {
  describe(`engines sharing one store (${backend}): a cached snapshot is only a guess`, () => {
    let shared: RedisClient | null = null;
    const client = (): RedisClient => {
      shared ??= backend === 'redis' ? new Redis(REDIS_URL) : new RedisMock();
      return shared;
    };
    const prefixes: string[] = [];
    afterEach(async () => {
      if (backend === 'redis') {
        for (const prefix of prefixes.splice(0)) await deletePrefix(client(), prefix);
      }
    });
    afterAll(() => {
      shared?.disconnect();
    });

    function engines(): [RecoveryEngine, RecoveryEngine, RedisStore] {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      const store = new RedisStore(client(), { prefix });
      const make = () => new RecoveryEngine({ store, machineConfig: {} });
      return [make(), make(), store];
    }

    it('a commit on a version another instance moved on reloads and applies on the new one', async () => {
      const [a, b, store] = engines();
      await a.dispatch({ conferenceSid: CONF, create: true, source: 'test', event: registered });
      expect(
        await b.dispatch({ conferenceSid: CONF, source: 'test', event: hold(1, true) }),
      ).toMatchObject({ kind: 'applied', version: 2 });
      // a still caches version 1: its commit conflicts, it reloads version 2 and applies there.
      expect(
        await a.dispatch({ conferenceSid: CONF, source: 'test', event: hold(2, false) }),
      ).toMatchObject({ kind: 'applied', version: 3 });
      const stored = await store.load(CONF);
      const participants = (
        stored?.snapshot as {
          context: { participants: Record<string, { hold: boolean; seq: number }> };
        }
      ).context.participants;
      expect(participants[CUSTOMER]).toMatchObject({ hold: false, seq: 2 });
    });

    it('an event the cached snapshot would ignore is decided again on the current one', async () => {
      const [a, b, store] = engines();
      await a.dispatch({
        conferenceSid: CONF,
        create: true,
        source: 'test',
        event: hold(1, false),
      });
      await b.dispatch({ conferenceSid: CONF, source: 'test', event: registered });
      // With no agent (a's cached version 1) the unload is ignored; with one it starts a recovery.
      const outcome = await a.dispatch({
        conferenceSid: CONF,
        source: 'test',
        event: { type: 'agent.pageUnloaded', at: 3, workerSid: WORKER },
      });
      expect(outcome).toMatchObject({ kind: 'applied', version: 3 });
      expect((await store.load(CONF))?.snapshot).toMatchObject({
        value: { recovering: expect.anything() },
      });
      const ignored = (await store.timeline(CONF)).filter(
        (entry) => (entry.detail as { outcome?: string } | undefined)?.outcome === 'ignored',
      );
      expect(ignored).toEqual([]);
    });

    it('keys that expired under a cached snapshot are created again, not resurrected', async () => {
      const [a, , store] = engines();
      await a.dispatch({ conferenceSid: CONF, create: true, source: 'test', event: registered });
      await a.dispatch({ conferenceSid: CONF, source: 'test', event: hold(1, true) });
      const keys = store.keys.conference(CONF);
      await client().del(keys.state, keys.timeline, keys.seen);
      expect(
        await a.dispatch({ conferenceSid: CONF, source: 'test', event: hold(2, false) }),
      ).toEqual({ kind: 'unknown-conference' });
      expect(await store.load(CONF)).toBeNull();
    });
  });
}
