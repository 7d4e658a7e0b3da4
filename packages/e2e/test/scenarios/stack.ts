import { afterEach } from 'vitest';
import type { Stack, StackOptions } from '../../src/stack/stack.ts';
import { startStack } from '../../src/stack/stack.ts';

export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Stacks on real Redis (each with its own key prefix), closed after each test. */
export function useStacks(): (options?: Partial<StackOptions>) => Promise<Stack> {
  const open: Stack[] = [];
  afterEach(async () => {
    const stacks = open.splice(0);
    await Promise.all(stacks.map((stack) => stack.close()));
    for (const stack of stacks) {
      // A listener that threw inside the simulator is a bug, whatever the test asserted.
      if (stack.sim.world.listenerErrors.length > 0) throw stack.sim.world.listenerErrors[0];
    }
  });
  return async (options = {}) => {
    const stack = await startStack({ redisUrl, ...options });
    open.push(stack);
    return stack;
  };
}
