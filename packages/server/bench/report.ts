/**
 * What `pnpm bench` shows and keeps: progress lines on stderr while cases run, a table on
 * stdout, and `bench/results.md` (repo root) with the machine, the date and every figure next
 * to the baseline or floor measured in the same run. Absolute numbers vary between machines;
 * the ratio to a same-run baseline is what the figures are judged by.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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

export function markdown(figures: Figure[], host: Machine, date: Date, notes: string[]): string {
  const lines = [
    '# Benchmark results',
    '',
    'Written by `pnpm bench` (packages/server/bench/run.ts). Not a test: nothing in CI times',
    'anything. Each figure stands next to a baseline or floor measured in the same run on the',
    'same machine; the ratio is what to compare between runs and machines.',
    '',
    `- date: ${date.toISOString()}`,
    `- cpu: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB`,
    `- node: ${host.node} (${host.platform})`,
    '',
    markdownRow([...headers, 'command']),
    markdownRow([...headers, 'command'].map(() => '---')),
    ...figures.map((figure) => markdownRow([...cells(figure), `\`${figure.command}\``])),
    '',
    ...(notes.length === 0 ? [] : ['## Notes', '', ...notes.map((note) => `- ${note}`), '']),
  ];
  return lines.join('\n');
}

/** Written as prettier would write it, so `pnpm lint` stays green after a bench run. */
export async function writeResults(path: URL, content: string): Promise<void> {
  mkdirSync(new URL('.', path), { recursive: true });
  writeFileSync(path, await prettier(content, { parser: 'markdown', proseWrap: 'preserve' }));
}
