import type { CopyKey } from '@lifeline/machine';
import { copy } from '@lifeline/machine';
import type { ServerTimelineEntry } from '../../src/stack/lifeline-api.ts';
import { effectResult } from '../../src/stack/lifeline-api.ts';
import type { Style } from './style.ts';

/** `+1.23s` from the demo's start. */
export function clock(at: number, t0: number): string {
  return `+${((at - t0) / 1000).toFixed(2)}s`.padStart(8);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A sid shortened for reading: prefix and the last six digits. */
export function short(sid: string): string {
  return /^[A-Z]{2}[0-9a-f]{32}$/.test(sid) ? `${sid.slice(0, 2)}…${sid.slice(-6)}` : sid;
}

function shortenSids(text: string): string {
  return text.replace(/\b[A-Z]{2}[0-9a-f]{32}\b/g, short);
}

/** The plugin's modal title in a state (the machine's copy, the one the plugin renders). */
function modalTitle(state: string): string | null {
  return state in copy ? (copy[state as CopyKey].modal?.title ?? null) : null;
}

interface EventDetail {
  source?: string;
  outcome?: string;
  note?: string;
}

/**
 * One server timeline entry as a line, or null for what would only be noise: redeliveries
 * and events the chart ignored, and effects merely queued (their results are printed).
 * `previous` is the state before this entry, to print state changes as such.
 */
export function serverLine(
  entry: ServerTimelineEntry,
  previous: string | null,
  style: Style,
): string | null {
  if (entry.kind === 'event') {
    const detail = (entry.detail ?? {}) as EventDetail;
    if (detail.outcome !== 'applied') return null;
    const why = [entry.name, detail.source, detail.note].filter((p) => p !== undefined).join(', ');
    if (entry.state !== undefined && entry.state !== previous) {
      const change = previous === null ? entry.state : `${previous} → ${entry.state}`;
      const title = modalTitle(entry.state);
      const modal = title === null ? '' : ` · agent's modal: "${title}"`;
      return `${style.state(`state ${change}`)} ${style.dim(`(${why})`)}${modal}`;
    }
    return style.dim(`event ${why}`);
  }
  if (entry.kind === 'effect-result') {
    const result = effectResult(entry);
    if (result === null) return null;
    const text = shortenSids(result.result);
    if (text.startsWith('retry in')) return style.warn(`effect ${entry.name}: ${text}`);
    const latency = result.latencyMs === undefined ? '' : ` · ${result.latencyMs} ms`;
    const attempt = result.attempt > 1 ? ` (attempt ${result.attempt})` : '';
    return `${style.effect(`effect ${entry.name}`)}: ${text}${attempt}${style.dim(latency)}`;
  }
  if (entry.kind === 'note') return style.dim(`note ${entry.name}`);
  return null;
}

/** A line of what a call's party lived through (the simulator's timeline). */
export function callLine(label: string, text: string, style: Style): string {
  return style.hears(`${label} ${shortenSids(text)}`);
}
