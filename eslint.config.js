// One lint setup for the workspace. The recovery statechart must stay pure, so
// packages/machine may not import anything that does I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'ioredis',
  'ioredis-mock',
  'fastify',
  'fastify-*',
  '@fastify/*',
  'twilio',
  'react',
  'react-dom',
  '@twilio/*',
  'node:*',
  'fs',
  'fs/*',
  'net',
  'http',
  'https',
  'child_process',
  'dgram',
  'dns',
  'os',
  'path',
  'process',
  'tls',
  'worker_threads',
  'cluster',
  'crypto',
  'timers',
  'timers/*',
  'readline',
  'stream',
  'undici',
  'axios',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['packages/machine/src/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ioModules,
              message:
                'packages/machine is the pure recovery core: no I/O. Effects are described, adapters perform them.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The machine does no I/O.' },
        { name: 'process', message: 'The machine reads no environment.' },
        { name: 'setTimeout', message: 'Use named delays; the host schedules them.' },
        { name: 'setInterval', message: 'Use named delays; the host schedules them.' },
      ],
      // Formatting and parsing dates is pure; reading the clock is not.
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes in through events (`at`).' },
        { object: 'performance', property: 'now', message: 'Time comes in through events.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the clock: time comes in through events (`at`).',
        },
      ],
    },
  },
);
