/** Clients and key hygiene shared by the store tests. */
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import type { RedisClient } from '../../src/store/scripts.ts';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A prefix no other test (or run) uses, so tests share one Redis without seeing each other. */
export function uniquePrefix(): string {
  return `lltest-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under the prefix, on every master of a cluster. */
export async function deletePrefix(client: RedisClient, prefix: string): Promise<void> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      // One key per call: keys of different slots cannot share a DEL on a cluster node.
      for (const key of keys) await node.unlink(key);
    } while (cursor !== '0');
  }
}
