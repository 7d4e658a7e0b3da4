import type { StackRedis } from './redis-target.ts';
import { withRedis } from './redis-target.ts';

/**
 * Deletes every key under a stack's prefix. Conferences still live when a test ends (the
 * recovered call's new conference) have no expiry, and a shared Redis should not collect them.
 * One key per DEL: on a Cluster the keys of one call are in different slots.
 */
export async function deleteKeys(redis: StackRedis, prefix: string): Promise<void> {
  await withRedis(redis, async ({ keys, client }) => {
    const all = await keys(prefix);
    for (let i = 0; i < all.length; i += 500) {
      await Promise.all(all.slice(i, i + 500).map((key) => client.del(key)));
    }
  });
}
