/**
 * What `pnpm bench` shows and keeps: progress lines on stderr while cases run, a table on
 * stdout, and `bench/results.md` (repo root) with the machine, the date and every figure next
 * to the baseline or floor measured in the same run. A run of some cases merges into the file:
 * their rows are replaced, the other cases' rows and run notes stay. Absolute numbers vary between machines;
 * the ratio to a same-run baseline is what the figures are judged by.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { format as prettier } from 'prettier';

export interface Figure {
  /** What was measured, e.g. 'webhook, real Redis'. */
  name: string;
  value: number;
  unit: string;
  /** The same-run baseline or the floor it is compared with. */
  baseline: string;
  baselineValue: number;
  /**
   * How the ratio reads: 'cost' when lower is better (value / baseline), 'rate' when higher
   * is better (value / baseline too, but a goal is a minimum). Shown in the table.
   */
  kind: 'cost' | 'rate';
  /** A goal on the ratio, e.g. '>= 0.6x' or '<= 1.3x'; absent when there is none. */
  goal?: string;
  /** The command that produced it, for results.md. */
  command: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** One line on stderr per step, so a long run shows where it is without spoiling the table. */
export function progress(message: string): void {
  const at = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${at}] ${message}\n`);
}

export function ratio(figure: Figure): number {
  return figure.baselineValue === 0 ? Number.NaN : figure.value / figure.baselineValue;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const headers = ['case', 'value', 'unit', 'baseline / floor', 'baseline', 'ratio', 'goal'];

function cells(figure: Figure): string[] {
  return [
    figure.name,
    format(figure.value),
    figure.unit,
    figure.baseline,
    format(figure.baselineValue),
    `${ratio(figure).toFixed(2)}x`,
    figure.goal ?? '',
  ];
}

export function table(figures: Figure[]): string {
  const rows = [headers, ...figures.map(cells)];
  const widths = headers.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join(
    '\n',
  );
}

function markdownRow(row: string[]): string {
  return `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
}

/** One run's notes in results.md: which cases it ran, on what, and what else to know. */
interface RunSection {
  cases: string[];
  lines: string[];
}

const CASE_OF_ROW = /`pnpm bench (\w+)[^`]*`\s*\|\s*$/;
const RUN_HEADING = /^### `pnpm bench ([\w ]+)`/;

/**
 * What an earlier results.md holds: its figure rows by case, and its run sections. A file
 * from before sections existed has one "## Notes" list; its "cases run:" line names its cases.
 */
export function parseResults(text: string): { rows: Map<string, string[]>; runs: RunSection[] } {
  const rows = new Map<string, string[]>();
  const runs: RunSection[] = [];
  let inNotes = false;
  let current: RunSection | null = null;
  // The older layout put its run's date and machine above the table.
  const preamble: string[] = [];
  for (const line of text.split('\n')) {
    if (!inNotes && runs.length === 0 && line.startsWith('- ') && rows.size === 0) {
      preamble.push(line);
      continue;
    }
    const row = CASE_OF_ROW.exec(line);
    if (row?.[1] !== undefined && line.startsWith('| ')) {
      rows.set(row[1], [...(rows.get(row[1]) ?? []), line]);
      continue;
    }
    if (line.startsWith('## ')) {
      inNotes = line.trim() === '## Notes' || line.trim() === '## Runs';
      current = null;
      continue;
    }
    if (!inNotes) continue;
    const heading = RUN_HEADING.exec(line);
    if (heading?.[1] !== undefined) {
      current = { cases: heading[1].trim().split(/\s+/), lines: [line] };
      runs.push(current);
      continue;
    }
    if (current === null && line.startsWith('- ')) {
      // The older single list: one section for the cases its "cases run:" line names.
      current = { cases: [], lines: ['### `pnpm bench` (an earlier run)', '', ...preamble] };
      runs.push(current);
    }
    if (current === null) continue;
    const named = /^- cases run: ([\w, ]+?)(?: \(|\.|$)/.exec(line);
    if (named?.[1] !== undefined && current.cases.length === 0) {
      current.cases = named[1].split(',').map((name) => name.trim());
    }
    current.lines.push(line);
  }
  for (const run of runs) {
    while (run.lines.at(-1)?.trim() === '') run.lines.pop();
  }
  return { rows, runs };
}

/**
 * results.md after this run: its rows replace those of the cases it ran, the other cases'
 * rows stay (in `order`), and its notes become a run section above the earlier ones; an
 * earlier section stays while any of its cases still has rows from it.
 */
export function markdown(
  figures: Figure[],
  host: Machine,
  date: Date,
  notes: string[],
  run: { cases: string[]; order: string[]; previous?: string },
): string {
  const earlier = parseResults(run.previous ?? '');
  const ran = new Set(run.cases);
  const fresh = new Map<string, string[]>();
  for (const figure of figures) {
    const name = /^pnpm bench (\w+)/.exec(figure.command)?.[1] ?? 'other';
    const line = markdownRow([...cells(figure), `\`${figure.command}\``]);
    fresh.set(name, [...(fresh.get(name) ?? []), line]);
  }
  const known = [...run.order, ...earlier.rows.keys(), ...fresh.keys()];
  const rows = [...new Set(known)].flatMap((name) =>
    ran.has(name) ? (fresh.get(name) ?? []) : (earlier.rows.get(name) ?? []),
  );
  const kept = earlier.runs.filter((section) =>
    section.cases.some((name) => !ran.has(name) && earlier.rows.has(name)),
  );
  const lines = [
    '# Benchmark results',
    '',
    'Written by `pnpm bench` (packages/server/bench/run.ts). Not a test: nothing in CI times',
    'anything. Each figure stands next to a baseline or floor measured in the same run on the',
    'same machine; the ratio is what to compare between runs and machines. A run of some cases',
    "replaces those cases' rows and keeps the others, with the notes of the run that made them.",
    '',
    markdownRow([...headers, 'command']),
    markdownRow([...headers, 'command'].map(() => '---')),
    ...rows,
    '',
    '## Runs',
    '',
    `### \`pnpm bench ${run.cases.join(' ')}\``,
    '',
    `- date: ${date.toISOString()}`,
    `- cpu: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB`,
    `- node: ${host.node} (${host.platform})`,
    ...notes.map((note) => `- ${note}`),
    '',
    ...kept.flatMap((section) => [...section.lines, '']),
  ];
  return lines.join('\n');
}

/** Written as prettier would write it, so `pnpm lint` stays green after a bench run. */
export async function writeResults(path: URL, content: string): Promise<void> {
  mkdirSync(new URL('.', path), { recursive: true });
  writeFileSync(path, await prettier(content, { parser: 'markdown', proseWrap: 'preserve' }));
}

/** The results.md a run merges into ('' when there is none yet). */
export function readResults(path: URL): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
