import { describe, expect, it } from 'vitest';
import {
  connectRedis,
  createRedisStore,
  parseClusterNodes,
  redactRedisUrl,
} from '../../src/store/connect.ts';
import { REDIS_URL, uniquePrefix } from './backends.ts';

describe('connectRedis', () => {
  it('falls back to the in-memory mock, flagged as not durable', async () => {
    const { store, durable, mode, target } = createRedisStore({}, { prefix: uniquePrefix() });
    expect({ durable, mode, target }).toEqual({
      durable: false,
      mode: 'memory',
      target: 'in-memory (ioredis-mock)',
    });
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
    const connection = connectRedis({ REDIS_URL });
    expect({ mode: connection.mode, durable: connection.durable }).toEqual({
      mode: 'single',
      durable: true,
    });
    expect(await connection.client.ping()).toBe('PONG');
    await connection.client.quit();
  });

  it('refuses both REDIS_URL and REDIS_CLUSTER_NODES', () => {
    expect(() => connectRedis({ REDIS_URL, REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(
      /not both/,
    );
  });

  it('never shows credentials in the target', () => {
    const shown = redactRedisUrl('rediss://admin:s3cret@cache.example.com:6380/2');
    expect(shown).toBe('rediss://***:***@cache.example.com:6380/2');
    expect(redactRedisUrl('redis://:s3cret@host:6379')).not.toContain('s3cret');
    expect(redactRedisUrl('not a url s3cret')).not.toContain('s3cret');
  });

  it('parses cluster nodes', () => {
    expect(parseClusterNodes(' 10.0.0.1:7000, redis-b:7001 ,')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
    ]);
    for (const bad of ['', ',', 'host', ':7000', 'host:0', 'host:x', 'host:70000']) {
      expect(() => parseClusterNodes(bad), bad).toThrow();
    }
  });
});
