import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { REDIS_URL } from './backends.ts';
import { storeContract } from './contract.ts';

storeContract({
  name: 'ioredis-mock',
  open: () => Promise.resolve(new RedisMock()),
  cleanup: false,
  binary: false,
});

storeContract({
  name: `Redis at ${REDIS_URL}`,
  open: async () => {
    // No retries: a missing Redis must fail these tests at once, not hang them.
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await client.connect();
    return client;
  },
  cleanup: true,
  binary: true,
});
