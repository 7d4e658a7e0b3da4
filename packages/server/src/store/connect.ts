/**
 * Creates the Redis client from the typed configuration:
 *   cluster → ioredis Cluster; credentials and TLS apply to every node
 *   single  → one ioredis connection (TLS for rediss:// or REDIS_TLS)
 *   memory  → ioredis-mock in this process: nothing survives a restart and instances share
 *             nothing, so the caller must warn loudly (durable: false).
 * Clients connect on their first command, so building one never fails on an unreachable Redis;
 * /readyz and the first webhook tell.
 */
import { Cluster, Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import RedisMock from 'ioredis-mock';
import type { RedisAuth, RedisConfig } from '../config.ts';
import { RedisStore } from './redis-store.ts';
import type { RedisStoreOptions } from './redis-store.ts';
import type { RedisClient } from './scripts.ts';

export interface RedisConnection {
  client: RedisClient;
  /** False for the in-memory mock: recoveries are lost on restart and not shared. */
  durable: boolean;
  /** Where it connects, safe to log: no credentials. */
  target: string;
}

/** Options every connection shares, a Cluster's nodes included. */
function connectionOptions(auth: RedisAuth): RedisOptions {
  return {
    lazyConnect: true,
    // Fail fast when Redis is gone: a request gets 503 within about a second (and Twilio
    // redelivers) instead of stalling through ioredis's default 20 reconnect attempts.
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    retryStrategy: (times: number) => Math.min(times * 100, 1_000),
    // Commands issued in one tick of the event loop (concurrent webhooks' scripts, listing
    // writes, change messages) leave in one write: under load a syscall per command costs
    // more than everything else a webhook does.
    enableAutoPipelining: true,
    ...(auth.username === undefined ? {} : { username: auth.username }),
    ...(auth.password === undefined ? {} : { password: auth.password }),
    ...(auth.tls ? { tls: {} } : {}),
  };
}

export function connectRedis(redis: RedisConfig): RedisConnection {
  const connection = clientFor(redis);
  // Connection errors reach callers as failed commands (503, /readyz); without a listener
  // ioredis would also print each reconnect failure, address included, to stderr.
  connection.client.on('error', () => undefined);
  return connection;
}

function clientFor(redis: RedisConfig): RedisConnection {
  switch (redis.kind) {
    case 'cluster':
      return {
        client: new Cluster(redis.nodes, {
          lazyConnect: true,
          enableAutoPipelining: true,
          clusterRetryStrategy: (times: number) => Math.min(times * 100, 1_000),
          redisOptions: connectionOptions(redis),
        }),
        durable: true,
        target: `cluster ${redis.nodes.map((node) => `${node.host}:${node.port}`).join(',')}`,
      };
    case 'single':
      return {
        client: new Redis(redis.url, connectionOptions(redis)),
        durable: true,
        target: redis.url,
      };
    case 'memory':
      return { client: new RedisMock(), durable: false, target: 'in-memory (ioredis-mock)' };
  }
}

export interface StoreConnection extends Omit<RedisConnection, 'client'> {
  store: RedisStore;
}

/**
 * connectRedis + a RedisStore on the client; store.close() closes the client. A real Redis
 * keeps packed values as bytes; ioredis-mock's Lua is not binary-safe (packing.ts).
 */
export function createRedisStore(
  redis: RedisConfig,
  options: RedisStoreOptions = {},
): StoreConnection {
  const { client, ...connection } = connectRedis(redis);
  const binary = redis.kind !== 'memory';
  return { ...connection, store: new RedisStore(client, { binary, ...options }) };
}
