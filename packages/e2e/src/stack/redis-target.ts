import type { RedisConfig, RedisNode } from '@lifeline/server';
import { connectRedis } from '@lifeline/server';

/** The Redis a stack's servers store in: one Redis, or a Redis Cluster (never the embedded store). */
export type StackRedis = Exclude<RedisConfig, { kind: 'memory' }>;

/** A single Redis at `url` (TLS for rediss://). */
export function singleRedis(url: string): StackRedis {
  return { kind: 'single', url, tls: url.startsWith('rediss:') };
}

/** A Redis Cluster reached through these nodes (the servers find the rest). */
export function redisCluster(nodes: RedisNode[]): StackRedis {
  return { kind: 'cluster', nodes, tls: false };
}

/** The environment variables that point a server at it (main.ts and loadConfig read them). */
export function redisEnv(redis: StackRedis): Record<string, string> {
  return redis.kind === 'single'
    ? { REDIS_URL: redis.url }
    : { REDIS_CLUSTER_NODES: redis.nodes.map((node) => `${node.host}:${node.port}`).join(',') };
}

/** What a check needs of Redis: every key under a prefix, and commands routed by key. */
export interface RedisReader {
  /** Every key under `prefix:`, from every master of a Cluster (SCAN, not KEYS). */
  keys(prefix: string): Promise<string[]>;
  client: ReturnType<typeof connectRedis>['client'];
}

/** Runs `use` with a connection to the stack's Redis, closed afterwards. */
export async function withRedis<T>(
  redis: StackRedis,
  use: (reader: RedisReader) => Promise<T>,
): Promise<T> {
  const { client } = connectRedis(redis);
  // A Cluster's keys live on its masters: each is scanned (a client's SCAN reaches one node).
  const nodes = () => ('nodes' in client ? client.nodes('master') : [client]);
  const keys = async (prefix: string) => {
    const found = new Set<string>();
    for (const node of nodes()) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        for (const key of batch) found.add(key);
        cursor = next;
      } while (cursor !== '0');
    }
    return [...found];
  };
  try {
    // A Cluster learns its masters on connecting (the client is lazy).
    if ('nodes' in client) await client.connect();
    return await use({ keys, client });
  } finally {
    await client.quit();
  }
}
