import { connectRedis } from '@lifeline/server';

/**
 * Deletes every key under a stack's prefix. Conferences still live when a test ends (the
 * recovered call's new conference) have no expiry, and a shared Redis should not collect them.
 */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const { client } = connectRedis({
    kind: 'single',
    url: redisUrl,
    tls: redisUrl.startsWith('rediss:'),
  });
  try {
    const keys = await client.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
  } finally {
    await client.quit();
  }
}
