import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createRedisStore } from '../../src/store/connect.ts';
import { shardTag } from '../../src/store/keys.ts';
import { SHARD_COUNT } from '../../src/store/types.ts';
import { deletePrefix, uniquePrefix } from './backends.ts';
import { storeContract } from './contract.ts';
import { startCluster } from '../../src/testing/redis-cluster.ts';
import { REQUIRED_ENV } from '../support/env.ts';
import type { TestCluster } from '../../src/testing/redis-cluster.ts';

let cluster: TestCluster | undefined;

beforeAll(async () => {
  cluster = await startCluster();
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

function nodes(): { host: string; port: number }[] {
  if (cluster === undefined) throw new Error('The test cluster did not start.');
  return cluster.ports.map((port) => ({ host: '127.0.0.1', port }));
}

async function openCluster(): Promise<Cluster> {
  const client = new Cluster(nodes(), {
    lazyConnect: true,
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  await client.connect();
  return client;
}

storeContract({
  name: 'Redis Cluster (3 masters)',
  open: openCluster,
  cleanup: true,
  binary: true,
});

describe('Redis Cluster layout', () => {
  it('spreads the shards over every master', async () => {
    const client = await openCluster();
    try {
      const slots = await client.cluster('SLOTS');
      const owners = new Set<number>();
      for (let shard = 0; shard < SHARD_COUNT; shard += 1) {
        const slot = Number(await client.cluster('KEYSLOT', `ll:${shardTag(shard)}:outbox`));
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        owners.add(range?.[2]?.[1] ?? -1);
      }
      expect([...owners].sort()).toEqual([...(cluster?.ports ?? [])].sort());
    } finally {
      await client.quit();
    }
  });

  it('connects from REDIS_CLUSTER_NODES and round-trips a commit, a claim and a timer', async () => {
    const prefix = uniquePrefix();
    const spec = nodes()
      .map((node) => `${node.host}:${node.port}`)
      .join(',');
    const { store, durable, target } = createRedisStore(
      loadConfig({ ...REQUIRED_ENV, REDIS_CLUSTER_NODES: spec }).redis,
      { prefix },
    );
    expect(durable).toBe(true);
    expect(target).toBe(`cluster ${spec}`);
    const sid = 'CFcluster00000000000000000000000000';
    const now = Date.now();
    try {
      const event = { type: 'xstate.after.pingTimeout' };
      const committed = await store.commit({
        conferenceSid: sid,
        expectedVersion: 0,
        snapshot: { value: 'pinging' },
        final: false,
        timeline: [{ at: now, kind: 'event', name: 'start', state: 'pinging' }],
        effects: [{ key: 'e1', type: 'announceHold', params: { key: 'e1' } }],
        schedule: [{ id: 'ping', event, dueAt: now - 1 }],
        cancel: [],
        dedupeIds: ['d1'],
        index: { taskSids: ['WTcluster'] },
      });
      expect(committed).toEqual({ ok: true, version: 1 });
      expect(await store.conferenceForTask('WTcluster')).toBe(sid);
      expect((await store.claimEffects(now + 1000, 10, 30_000)).map((e) => e.key)).toEqual(['e1']);
      expect(await store.dueTimers(now + 1000, 10)).toEqual([
        { conferenceSid: sid, id: 'ping', event, dueAt: now - 1 },
      ]);
      await store.completeEffect(sid, 'e1', {
        at: now,
        kind: 'effect-result',
        name: 'announceHold',
      });
      expect(await store.isEffectDone(sid, 'e1')).toBe(true);
    } finally {
      const client = await openCluster();
      await deletePrefix(client, prefix);
      await client.quit();
      await store.close();
    }
  });
});

describe('a password-protected Redis Cluster', () => {
  const password = 'cluster-test-password';
  let secured: TestCluster | undefined;
  beforeAll(async () => {
    secured = await startCluster({ password });
  }, 30_000);
  afterAll(async () => {
    await secured?.stop();
  });

  const env = () => ({
    ...REQUIRED_ENV,
    REDIS_CLUSTER_NODES: (secured?.ports ?? []).map((port) => `127.0.0.1:${port}`).join(','),
  });

  it('takes REDIS_PASSWORD on every node, as main.ts configures it', async () => {
    const prefix = uniquePrefix();
    const { store } = createRedisStore(loadConfig({ ...env(), REDIS_PASSWORD: password }).redis, {
      prefix,
    });
    try {
      await store.ping();
      const sid = 'CFsecured00000000000000000000000000';
      expect(
        await store.commit({
          conferenceSid: sid,
          expectedVersion: 0,
          snapshot: { value: 'connected' },
          final: true,
          timeline: [],
          effects: [],
          schedule: [],
          cancel: [],
          dedupeIds: [],
        }),
      ).toEqual({ ok: true, version: 1 });
      expect((await store.load(sid))?.version).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('really requires it: a node refuses a client without it', async () => {
    const node = new Redis({
      host: '127.0.0.1',
      port: secured?.ports[0] ?? 0,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    // The refusal is the point; ioredis would also report it as an unhandled error event.
    node.on('error', () => undefined);
    try {
      await expect(node.ping()).rejects.toThrow(/NOAUTH/);
    } finally {
      node.disconnect();
    }
  });
});
