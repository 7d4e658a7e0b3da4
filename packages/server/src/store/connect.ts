/**
 * Creates the Redis client from the environment:
 *   REDIS_CLUSTER_NODES="host:port,host:port"  → ioredis Cluster (REDIS_USERNAME / REDIS_PASSWORD
 *                                                 apply to every node)
 *   REDIS_URL="redis://user:pass@host:port/db" → one ioredis connection (rediss:// for TLS)
 *   neither                                    → ioredis-mock in this process: nothing survives
 *                                                 a restart and instances share nothing, so the
 *                                                 caller must warn loudly (durable: false).
 */
import { Cluster, Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { RedisStore } from './redis-store.ts';
import type { RedisStoreOptions } from './redis-store.ts';
import type { RedisClient } from './scripts.ts';

export interface RedisEnv {
  REDIS_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
  REDIS_USERNAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
}

export type RedisMode = 'single' | 'cluster' | 'memory';

export interface RedisConnection {
  client: RedisClient;
  mode: RedisMode;
  /** False for the in-memory mock: recoveries are lost on restart and not shared. */
  durable: boolean;
  /** Where it connects, safe to log: credentials are masked. */
  target: string;
}

/** Masks the credentials of a Redis URL, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '') parsed.username = '***';
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // An unparsable URL may still hold a password: show nothing of it.
    return '(invalid REDIS_URL)';
  }
}

export function parseClusterNodes(spec: string): { host: string; port: number }[] {
  const nodes = spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.lastIndexOf(':');
      const host = part.slice(0, at);
      const port = Number(part.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) {
        throw new Error(`REDIS_CLUSTER_NODES: expected host:port, got ${JSON.stringify(part)}.`);
      }
      return { host, port };
    });
  if (nodes.length === 0) throw new Error('REDIS_CLUSTER_NODES is set but lists no node.');
  return nodes;
}

export function connectRedis(env: RedisEnv = process.env): RedisConnection {
  const url = env.REDIS_URL?.trim() || undefined;
  const clusterSpec = env.REDIS_CLUSTER_NODES?.trim() || undefined;
  if (url !== undefined && clusterSpec !== undefined) {
    throw new Error('Set REDIS_URL or REDIS_CLUSTER_NODES, not both.');
  }
  if (clusterSpec !== undefined) {
    const nodes = parseClusterNodes(clusterSpec);
    const client = new Cluster(nodes, {
      redisOptions: {
        ...(env.REDIS_USERNAME ? { username: env.REDIS_USERNAME } : {}),
        ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
      },
    });
    const target = `cluster ${nodes.map((node) => `${node.host}:${node.port}`).join(',')}`;
    return { client, mode: 'cluster', durable: true, target };
  }
  if (url !== undefined) {
    return { client: new Redis(url), mode: 'single', durable: true, target: redactRedisUrl(url) };
  }
  return {
    client: new RedisMock(),
    mode: 'memory',
    durable: false,
    target: 'in-memory (ioredis-mock)',
  };
}

export interface StoreConnection extends Omit<RedisConnection, 'client'> {
  store: RedisStore;
}

/** connectRedis + a RedisStore on the client; store.close() closes the client. */
export function createRedisStore(
  env: RedisEnv = process.env,
  options: RedisStoreOptions = {},
): StoreConnection {
  const { client, ...connection } = connectRedis(env);
  return { ...connection, store: new RedisStore(client, options) };
}
