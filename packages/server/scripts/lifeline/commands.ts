/** `pnpm lifeline <command>`: list, inspect, export, replay (see README, The inspector). */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseCase } from '../../src/inspect/fixture.ts';
import { formatStep, replayCase } from '../../src/inspect/replay.ts';
import type { Env } from './client.ts';
import { CliError, connect } from './client.ts';

export interface Io {
  env: Env;
  out: (text: string) => void;
  err: (text: string) => void;
}

export const USAGE = `usage: pnpm lifeline <command>
  list [--all] [--state S] [--outcome O] [--worker WK…] [--limit N] [--offset N]
                                  live recoveries (--all: finished ones too)
  inspect <conferenceSid>         the conference's timeline, as /inspect shows it
  export <conferenceSid>          its events as a replayable case (JSON on stdout)
  replay <case.json>              runs a case through the statechart offline, step by step
environment: LIFELINE_URL (http://127.0.0.1:3000), LIFELINE_TOKEN or LIFELINE_BASIC_AUTH`;

interface Listed {
  conferenceSid: string;
  taskSid: string | null;
  workerSid: string | null;
  state: string;
  outcome: string | null;
  ageMs: number;
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))}s`;
}

function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function conferenceSid(value: string | undefined): string {
  if (value === undefined || !/^CF[0-9a-fA-F]{32}$/.test(value)) {
    throw new CliError('a conference SID (CF + 32 hex digits) is required');
  }
  return value;
}

async function list(args: string[], io: Io): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      all: { type: 'boolean', default: false },
      state: { type: 'string' },
      outcome: { type: 'string' },
      worker: { type: 'string' },
      limit: { type: 'string', default: '50' },
      offset: { type: 'string', default: '0' },
    },
  });
  const query = new URLSearchParams({ limit: values.limit, offset: values.offset });
  if (!values.all) query.set('live', 'true');
  if (values.state !== undefined) query.set('state', values.state);
  if (values.outcome !== undefined) query.set('outcome', values.outcome);
  if (values.worker !== undefined) query.set('worker', values.worker);
  const page = (await connect(io.env).get(`/inspect/api/conferences?${query}`)) as {
    total: number;
    offset: number;
    items: Listed[];
  };
  if (page.items.length === 0) {
    io.out(values.all ? 'no conferences' : 'no live recoveries');
    return;
  }
  io.out(
    table([
      ['CONFERENCE', 'TASK', 'WORKER', 'STATE', 'AGE', 'OUTCOME'],
      ...page.items.map((item) => [
        item.conferenceSid,
        item.taskSid ?? '-',
        item.workerSid ?? '-',
        item.state,
        seconds(item.ageMs),
        item.outcome ?? '-',
      ]),
    ]),
  );
  io.out(`${page.offset + 1}-${page.offset + page.items.length} of ${page.total}`);
}

async function inspect(args: string[], io: Io): Promise<void> {
  const sid = conferenceSid(args[0]);
  const detail = (await connect(io.env).get(`/inspect/api/conferences/${sid}`)) as {
    state: string;
    final: boolean;
    version: number;
    summary: { taskSid: string | null; workerSid: string | null; outcome: string | null };
    lines: string[];
  };
  io.out(
    `${sid}  state ${detail.state}${detail.final ? ' (final)' : ''}  version ${detail.version}`,
  );
  io.out(
    `task ${detail.summary.taskSid ?? '-'}  worker ${detail.summary.workerSid ?? '-'}  outcome ${detail.summary.outcome ?? '-'}`,
  );
  for (const line of detail.lines) io.out(line);
}

async function exportCase(args: string[], io: Io): Promise<void> {
  const sid = conferenceSid(args[0]);
  const fixture = await connect(io.env).get(`/inspect/api/conferences/${sid}/export`);
  io.out(JSON.stringify(fixture, null, 2));
}

async function replay(args: string[], io: Io): Promise<number> {
  const file = args[0];
  if (file === undefined)
    throw new CliError('a case file is required: pnpm lifeline replay case.json');
  let fixture;
  try {
    fixture = parseCase(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    throw new CliError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (fixture.truncated)
    io.err('warning: the case starts mid-conference (its timeline was capped)');
  const result = replayCase(fixture);
  for (const step of result.steps) io.out(formatStep(step));
  io.out(
    `final: ${result.finalState}${result.final ? ' (final)' : ''}; the server had ${result.expected}: ${result.matches ? 'same' : 'DIFFERENT'}`,
  );
  return result.matches && result.steps.every((step) => !step.diverged) ? 0 : 1;
}

/** Runs one command; the exit code it returns is the process's. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'list':
        await list(args, io);
        return 0;
      case 'inspect':
        await inspect(args, io);
        return 0;
      case 'export':
        await exportCase(args, io);
        return 0;
      case 'replay':
        return await replay(args, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`unknown command ${command}\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof CliError || (error instanceof TypeError && 'code' in error)) {
      io.err(`lifeline ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
