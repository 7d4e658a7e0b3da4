import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'machine',
    include: ['test/**/*.test.ts'],
  },
});
