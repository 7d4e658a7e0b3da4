import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { connectRedis, createRedisStore } from '../../src/store/connect.ts';
import { REQUIRED_ENV } from '../support/env.ts';
import { REDIS_URL, uniquePrefix } from './backends.ts';

const redisOf = (env: Record<string, string>) => loadConfig({ ...REQUIRED_ENV, ...env }).redis;

describe('connectRedis', () => {
  it('falls back to the in-memory mock, flagged as not durable', async () => {
    const { store, durable, target } = createRedisStore(redisOf({}), { prefix: uniquePrefix() });
    expect({ durable, target }).toEqual({ durable: false, target: 'in-memory (ioredis-mock)' });
    await store.ping();
    const sid = 'CFmemory0000000000000000000000000';
    expect(
      await store.commit({
        conferenceSid: sid,
        expectedVersion: 0,
        snapshot: { value: 'connected' },
        final: false,
        timeline: [],
        effects: [],
        schedule: [],
        cancel: [],
        dedupeIds: [],
      }),
    ).toEqual({ ok: true, version: 1 });
    expect((await store.load(sid))?.version).toBe(1);
    await store.close();
  });

  it('connects to REDIS_URL', async () => {
    const connection = connectRedis(redisOf({ REDIS_URL }));
    expect(connection.client).toBeInstanceOf(Redis);
    expect(connection.durable).toBe(true);
    expect(await connection.client.ping()).toBe('PONG');
    await connection.client.quit();
  });

  it('gives a single Redis its credentials and TLS, and logs its target without them', () => {
    const { client, target } = connectRedis(
      redisOf({ REDIS_URL: 'rediss://app:s3cret@cache.internal:6380/2' }),
    );
    try {
      expect(client).toBeInstanceOf(Redis);
      expect((client as Redis).options).toMatchObject({
        host: 'cache.internal',
        port: 6380,
        db: 2,
        username: 'app',
        password: 's3cret',
        tls: {},
      });
      expect(target).toBe('rediss://cache.internal:6380/2');
    } finally {
      client.disconnect();
    }
  });

  it('gives every Cluster node the credentials and TLS (REDIS_USERNAME, REDIS_PASSWORD)', () => {
    const { client, target, durable } = connectRedis(
      redisOf({
        REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001',
        REDIS_USERNAME: 'app',
        REDIS_PASSWORD: 's3cret',
        REDIS_TLS: 'true',
      }),
    );
    try {
      expect(client).toBeInstanceOf(Cluster);
      expect((client as Cluster).options.redisOptions).toMatchObject({
        username: 'app',
        password: 's3cret',
        tls: {},
      });
      expect({ target, durable }).toEqual({
        target: 'cluster 127.0.0.1:7000,127.0.0.1:7001',
        durable: true,
      });
      expect(target).not.toContain('s3cret');
    } finally {
      client.disconnect();
    }
  });

  it('leaves TLS off for redis:// without REDIS_TLS', () => {
    const { client } = connectRedis(redisOf({ REDIS_URL: 'redis://127.0.0.1:6390' }));
    try {
      expect(client).toBeInstanceOf(Redis);
      expect((client as Redis).options.tls).toBeUndefined();
    } finally {
      client.disconnect();
    }
  });
});
