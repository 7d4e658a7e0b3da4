import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'machine',
    include: ['test/**/*.test.ts'],
    // The property tests run hundreds of random interleavings each: seconds on a busy machine.
    testTimeout: 30_000,
  },
});
