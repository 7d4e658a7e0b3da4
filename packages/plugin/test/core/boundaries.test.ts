// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * src/core is what the simulator's agents run in Node: it may not reach for Flex, React,
 * the adapter or browser globals. (The root lint config could say this too; this test keeps
 * the rule with the package.)
 */
const coreDir = fileURLToPath(new URL('../../src/core/', import.meta.url));
const forbiddenImports =
  /from '(react|react-dom|@xstate\/react|@twilio\/[^']+|\.\.\/(flex|features)[^']*)'/;
const browserGlobals = /\b(window|document|navigator|EventSource|localStorage|sessionStorage)\./;

describe('src/core', () => {
  for (const file of readdirSync(coreDir).filter((name) => name.endsWith('.ts'))) {
    it(`${file} stays free of Flex, React and browser globals`, () => {
      const code = readFileSync(`${coreDir}${file}`, 'utf8').replace(
        /^\s*(\/\/|\*|\/\*\*).*$/gm,
        '',
      );
      expect(code).not.toMatch(forbiddenImports);
      expect(code).not.toMatch(browserGlobals);
    });
  }
});
