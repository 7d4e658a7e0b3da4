import { afterEach, expect } from 'vitest';
import { waitFor } from '@lifeline/simulator';
import type { Stack, StackOptions } from '../../src/stack/stack.ts';
import { startStack } from '../../src/stack/stack.ts';
import { keysWithoutExpiry, openLifelineTasks } from '../../src/stack/left-behind.ts';

export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Issue 9's "nothing is left behind", after every scenario: no task Lifeline created is left
 * pending, reserved or assigned (but the customer's live call), and every key the server
 * wrote under the stack's prefix expires.
 */
async function expectNothingLeftBehind(stack: Stack): Promise<void> {
  const open = await waitFor(
    async () => {
      const tasks = await openLifelineTasks(stack);
      return tasks.length === 0 ? tasks : null;
    },
    { timeoutMs: 5_000, intervalMs: 50, description: 'no Lifeline task left open' },
  ).catch(() => openLifelineTasks(stack));
  expect(open, 'Lifeline tasks left open').toEqual([]);
  if (stack.redis !== null) {
    const forever = await keysWithoutExpiry(stack.redis, stack.redisKeyPrefix);
    expect(forever, 'Redis keys without an expiry').toEqual([]);
  }
}

/** Stacks on real Redis (each with its own key prefix), checked and closed after each test. */
export function useStacks(): (options?: Partial<StackOptions>) => Promise<Stack> {
  const open: Stack[] = [];
  afterEach(async (context) => {
    const stacks = open.splice(0);
    try {
      // A failed test already says what went wrong; the checks would only add noise.
      if (context.task.result?.state !== 'fail') {
        for (const stack of stacks) await expectNothingLeftBehind(stack);
      }
    } finally {
      await Promise.all(stacks.map((stack) => stack.close()));
    }
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
