import { parseArgs } from 'node:util';
import type { ScenarioEntry, ScenarioReport } from '../../src/scenarios/index.ts';
import { scenarioNamed, scenarios } from '../../src/scenarios/index.ts';
import type { Stack } from '../../src/stack/stack.ts';
import { startStack } from '../../src/stack/stack.ts';
import { demoTiming } from '../../src/stack/timing.ts';
import { LiveFeed } from './live.ts';
import type { Style } from './style.ts';
import { summaryLines } from './summary.ts';
import type { Terminal } from './terminal.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Seconds the default ping TTL lasts in the demo (scenarios may ask for another). */
const DEMO_PING_TIMEOUT_S = 5;

export function usage(): string {
  const width = Math.max(...scenarios.map((s) => s.name.length)) + 2;
  return [
    'usage: pnpm demo [--scenario <name>] [--redis <url>]',
    '',
    'Starts the Twilio simulator and the Lifeline server, runs one recovery scenario end to end',
    "and prints its live timeline: the server's state changes and effects (with latency) and",
    'what the customer hears, then a summary. Scenarios:',
    ...scenarios.map((s) => `  ${s.name.padEnd(width)}${s.summary}`),
    '',
    `Default: ${scenarios[0]?.name ?? ''}. The store is the server's embedded in-memory one (not`,
    'durable) unless --redis names a Redis URL.',
  ].join('\n');
}

export type Parsed =
  | { kind: 'run'; scenario: ScenarioEntry; redisUrl: string | null }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export function parseCli(argv: readonly string[]): Parsed {
  // `pnpm demo -- --scenario x` passes the `--` through.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values: { scenario?: string; redis?: string; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: {
        scenario: { type: 'string', short: 's' },
        redis: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: 'help' };
  const name = values.scenario ?? scenarios[0]?.name ?? '';
  const scenario = scenarioNamed(name);
  return scenario === undefined
    ? { kind: 'error', message: `unknown scenario: ${name}` }
    : { kind: 'run', scenario, redisUrl: values.redis ?? null };
}

export interface Io {
  out: Terminal;
  err: (line: string) => void;
  style: Style;
}

async function runScenario(entry: ScenarioEntry, redisUrl: string | null, io: Io): Promise<number> {
  const { out, style } = io;
  const started = Date.now();
  out.line(style.bold(`Lifeline demo: ${entry.name} (${entry.summary})`));
  const stack: Stack = await startStack({
    redisUrl,
    pingTimeoutS: entry.stack?.pingTimeoutS ?? DEMO_PING_TIMEOUT_S,
    reconnectTimeoutS: entry.stack?.reconnectTimeoutS ?? 30,
    timing: { ...demoTiming, ...entry.stack?.timing },
    // Production's effect runner and timer loop, as `pnpm start` would run them.
    loops: { baseDelayMs: 250, maxDelayMs: 30_000, idleMs: 250, timerTickMs: 200 },
  });
  try {
    out.line(`  simulator (a local Twilio): ${stack.sim.url}`);
    out.line(`  Lifeline server:            ${stack.serverUrl}`);
    if (stack.durable) out.line('  store: Redis (durable), under a key prefix of its own');
    else {
      out.line(style.warn('  store: NO REDIS_URL, so the embedded in-memory store: not durable.'));
      out.line(
        style.warn(
          '  Recoveries would be lost on a restart and not shared between instances (the server',
        ),
      );
      out.line(
        style.warn('  warns loudly when started so). Fine for a demo, never for production.'),
      );
    }
    out.line(`  ping TTL ${stack.pingTimeoutS} s · started in ${Date.now() - started} ms`);
    out.line('');
    const feed = new LiveFeed(stack, out, style, Date.now());
    feed.start();
    let report: ScenarioReport;
    try {
      report = await entry.run(stack, feed);
    } finally {
      await feed.stop();
    }
    out.line('');
    for (const line of summaryLines(entry, report, stack.durable, style)) out.line(line);
    if (report.outcome === entry.expected) return EXIT_OK;
    io.err(`demo failed: the outcome was ${report.outcome}, expected ${entry.expected}`);
    return EXIT_FAILED;
  } finally {
    await stack.close();
  }
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseCli(argv);
  if (parsed.kind === 'help') {
    for (const line of usage().split('\n')) io.out.line(line);
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    io.err(parsed.message);
    io.err(usage());
    return EXIT_USAGE;
  }
  try {
    return await runScenario(parsed.scenario, parsed.redisUrl, io);
  } catch (error) {
    io.out.clearProgress();
    io.err(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  }
}
