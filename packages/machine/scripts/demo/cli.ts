import { parseArgs } from 'node:util';
import { T0 } from './cast.ts';
import { formatWalkthrough, wrap } from './format.ts';
import type { Scenario } from './run.ts';
import { walkScenario } from './run.ts';
import { scenarios } from './scenarios.ts';
import type { Style } from './style.ts';

/** `pnpm walkthrough [--scenario <name>]`: argument handling and exit codes, kept apart from the entry file so tests can call it. */

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function usage(): string {
  const names = scenarios.flatMap((s) =>
    wrap(s.title, 78).map((line, i) => `  ${(i === 0 ? s.name : '').padEnd(10)}${line}`),
  );
  return [
    'usage: pnpm walkthrough [--scenario <name>]',
    '',
    'Walks a recovery through the statechart and prints each step. Scenarios:',
    ...names,
  ].join('\n');
}

export type Parsed =
  { kind: 'run'; scenario: Scenario } | { kind: 'help' } | { kind: 'error'; message: string };

export function parseCli(argv: readonly string[]): Parsed {
  // `pnpm walkthrough -- --scenario x` passes the `--` through.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values: { scenario?: string | undefined; help?: boolean | undefined };
  try {
    values = parseArgs({
      args,
      options: { scenario: { type: 'string', short: 's' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: 'help' };
  const name = values.scenario ?? 'default';
  const scenario = scenarios.find((s) => s.name === name);
  return scenario === undefined
    ? { kind: 'error', message: `unknown scenario: ${name}` }
    : { kind: 'run', scenario };
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  style: Style;
}

/** Runs the CLI and returns the exit code. */
export function runCli(argv: readonly string[], io: Io): number {
  const parsed = parseCli(argv);
  if (parsed.kind === 'help') {
    io.out(usage());
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    io.err(`${parsed.message}\n\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    const walk = walkScenario(parsed.scenario);
    for (const line of formatWalkthrough(walk, T0, io.style)) io.out(line);
    if (walk.problem !== null) {
      io.err(`walkthrough ${parsed.scenario.name} failed: ${walk.problem}`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } catch (error) {
    io.err(
      `walkthrough ${parsed.scenario.name} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT_FAILED;
  }
}
