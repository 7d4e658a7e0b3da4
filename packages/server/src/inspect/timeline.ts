/**
 * A conference's stored timeline as the inspector shows it (the page and `pnpm lifeline
 * inspect` print these same rows): each event in, each state change it caused, and each
 * effect out folded together with its attempts, latency and result.
 */
import type { TimelineEntry } from '../store/types.ts';
import { maskDeep } from './mask.ts';

export type TimelineRow =
  | {
      kind: 'in';
      at: number;
      name: string;
      /** conference-status, event-streams, api, timer, effect. */
      source: string;
      /** applied or ignored. */
      outcome: string;
      state: string | null;
      detail: Record<string, unknown>;
    }
  | { kind: 'transition'; at: number; from: string | null; to: string; cause: string }
  | {
      kind: 'out';
      at: number;
      name: string;
      key: string;
      attempts: number;
      retries: number;
      /** Time the successful attempt took; null until one succeeded. */
      latencyMs: number | null;
      /** From enqueue to the last result; null while pending. */
      settledAfterMs: number | null;
      /** The last result reported ("retry in …", "failed: …", or what it did); null while pending. */
      result: string | null;
      status: 'pending' | 'retrying' | 'done' | 'failed';
    }
  | { kind: 'note'; at: number; name: string; detail: unknown };

type OutRow = Extract<TimelineRow, { kind: 'out' }>;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Detail fields the engine adds around the event's own fields. */
export const ENVELOPE_FIELDS = ['source', 'outcome', 'note'] as const;

/** An effect's row before any result is known. */
function pendingEffect(entry: TimelineEntry, key: string): OutRow {
  return {
    kind: 'out',
    at: entry.at,
    name: entry.name,
    key,
    attempts: 0,
    retries: 0,
    latencyMs: null,
    settledAfterMs: null,
    result: null,
    status: 'pending',
  };
}

function applyResult(row: OutRow, entry: TimelineEntry, detail: Record<string, unknown>): void {
  const result = text(detail['result'], 'done');
  row.attempts = Math.max(row.attempts, Number(detail['attempt'] ?? row.attempts + 1));
  row.result = result;
  row.settledAfterMs = entry.at - row.at;
  if (result.startsWith('retry')) {
    row.status = 'retrying';
    row.retries += 1;
  } else if (result.startsWith('failed')) {
    row.status = 'failed';
  } else {
    row.status = 'done';
    row.latencyMs = typeof detail['latencyMs'] === 'number' ? detail['latencyMs'] : null;
  }
}

export function buildTimeline(entries: readonly TimelineEntry[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const effects = new Map<string, OutRow>();
  let state: string | null = null;
  for (const entry of entries) {
    const detail = record(maskDeep(entry.detail));
    if (entry.kind === 'event') {
      const { source, outcome, note, ...fields } = detail;
      rows.push({
        kind: 'in',
        at: entry.at,
        name: entry.name,
        source: text(source, 'unknown'),
        outcome: text(outcome, 'applied'),
        state: entry.state ?? null,
        detail: note === undefined ? fields : { note, ...fields },
      });
      if (entry.state !== undefined && entry.state !== state) {
        rows.push({
          kind: 'transition',
          at: entry.at,
          from: state,
          to: entry.state,
          cause: entry.name,
        });
        state = entry.state;
      }
    } else if (entry.kind === 'effect') {
      const key = text(detail['key'], `${entry.name}@${entry.at}`);
      const row = pendingEffect(entry, key);
      effects.set(key, row);
      rows.push(row);
    } else if (entry.kind === 'effect-result') {
      const key = text(detail['key'], '');
      let row = effects.get(key);
      if (row === undefined) {
        // Its enqueue fell off the capped timeline: show the result on its own row.
        row = pendingEffect(entry, key);
        effects.set(key, row);
        rows.push(row);
      }
      applyResult(row, entry, detail);
    } else {
      rows.push({ kind: 'note', at: entry.at, name: entry.name, detail });
    }
  }
  return rows;
}

function clock(at: number, start: number): string {
  const offset = ((at - start) / 1000).toFixed(3);
  return `${new Date(at).toISOString().slice(11, 23)} +${offset}s`;
}

/** One line per row, as the CLI prints it and the page's plain-text view copies it. */
export function formatRow(row: TimelineRow, start: number): string {
  const when = clock(row.at, start);
  switch (row.kind) {
    case 'in':
      return `${when}  IN   ${row.name} (${row.source}, ${row.outcome})`;
    case 'transition':
      return `${when}  ==>  ${row.from ?? '(start)'} -> ${row.to}  on ${row.cause}`;
    case 'out': {
      const latency = row.latencyMs === null ? '' : ` ${row.latencyMs} ms`;
      const retries =
        row.retries === 0 ? '' : `, ${row.retries} retr${row.retries === 1 ? 'y' : 'ies'}`;
      return `${when}  OUT  ${row.name} [${row.status}${latency}, ${row.attempts} attempt${row.attempts === 1 ? '' : 's'}${retries}] ${row.result ?? ''}`.trimEnd();
    }
    case 'note':
      return `${when}  NOTE ${row.name}`;
  }
}
