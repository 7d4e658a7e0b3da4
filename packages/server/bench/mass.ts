/**
 * `pnpm bench mass [--calls N] [--drops N] [--cap N] [--away-ms MS] [--timeout-s S] [--seed S]`:
 * a mass disconnect (issue 12, items 3 and 4): live calls in the simulator, Twilio's REST
 * concurrency cap, half the agents dropping at once; the times until every customer hears the
 * announcement, every ping task exists and every recovery is final, against the floor the cap
 * sets, the 429s, lost recoveries and decision latency.
 *
 * It needs the simulator and the simulated agents, which live in packages/e2e, and nothing
 * may depend on that package: the bench is packages/e2e/bench/mass-main.ts, run here as a
 * process of its own that sends its figures back over IPC. Its own process also keeps its
 * load (a thousand simulated calls) out of the other cases' measurements.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { progress } from './report.ts';
import type { Figure } from './report.ts';

/** What each case gets: the command line's options, and the run notes it may add to. */
export interface CaseContext {
  options: string[];
  notes: string[];
}

const MASS_OPTIONS = ['--calls', '--drops', '--cap', '--away-ms', '--timeout-s', '--seed'];

/** Case names, and the `--option value` pairs (or `--option=value`) meant for the mass case. */
export function splitArgs(args: string[]): { named: string[]; options: string[] } {
  const named: string[] = [];
  const options: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      named.push(arg);
      continue;
    }
    const [flag] = arg.split('=');
    if (!MASS_OPTIONS.includes(flag ?? '')) {
      throw new Error(`unknown option ${arg}; options: ${MASS_OPTIONS.join(', ')}`);
    }
    options.push(arg);
    if (!arg.includes('=')) {
      options.push(args[i + 1] ?? '');
      i += 1;
    }
  }
  return { named, options };
}

interface MassResult {
  /** Figures as JSON carried them: a value not reached (NaN) is null. */
  figures: (Omit<Figure, 'value' | 'baselineValue'> & {
    value: number | null;
    baselineValue: number | null;
  })[];
  notes: string[];
}

type MassMessage = { ok: true; result: MassResult } | { ok: false; error: string };

const MAIN = fileURLToPath(new URL('../../e2e/bench/mass-main.ts', import.meta.url));

export function benchMass(context: CaseContext): Promise<Figure[]> {
  progress(`mass: forking ${MAIN} ${context.options.join(' ')}`);
  const child = fork(MAIN, context.options, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.once('error', reject);
    child.once('message', (message: MassMessage) => {
      settled = true;
      if (!message.ok) return reject(new Error(`mass: ${message.error}`));
      context.notes.push(...message.result.notes);
      // IPC is JSON: a figure not reached (NaN) arrives as null.
      resolve(
        message.result.figures.map((figure) => ({
          ...figure,
          value: figure.value ?? Number.NaN,
          baselineValue: figure.baselineValue ?? Number.NaN,
        })),
      );
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`mass: the bench process exited (${code}) without figures`));
    });
  });
}
