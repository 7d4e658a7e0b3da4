import type { CallTimeline, Hearing } from '@lifeline/simulator';

/** What the customer lived through from the drop on. */
export interface CustomerExperience {
  /** The customer's call never ended. */
  stayedOnTheLine: boolean;
  /** From the drop until the customer heard an agent again (null: not yet, or never). */
  reconnectMs: number | null;
  /** Time between the drop and the reconnect (or the end) without hearing any person. */
  withoutAPersonMs: number;
  /** That time by what the customer heard instead (announcement, queue music, silence...). */
  byHearing: Partial<Record<Hearing['kind'], number>>;
  /**
   * The longest stretch of dead air the customer heard in that time (consecutive silent
   * segments counted as one): the "no silence" goal is at most a second.
   */
  longestSilenceMs: number;
}

const hearsAgent = (hearing: Hearing) =>
  hearing.kind === 'parties' && hearing.parties.some((p) => p.startsWith('agent '));

/** Measures a customer's timeline from `droppedAt` (the refresh) to the reconnect or its end. */
export function customerExperience(timeline: CallTimeline, droppedAt: number): CustomerExperience {
  const end = timeline.endedAt ?? timeline.now;
  const reconnect = timeline.segments.find((s) => s.from > droppedAt && hearsAgent(s.hearing));
  const until = reconnect?.from ?? end;
  let withoutAPersonMs = 0;
  const byHearing: Partial<Record<Hearing['kind'], number>> = {};
  let longestSilenceMs = 0;
  let silence: { from: number; to: number } | null = null;
  for (const segment of timeline.segments) {
    const from = Math.max(segment.from, droppedAt);
    const to = Math.min(segment.to ?? end, until);
    if (to <= from || segment.hearing.kind === 'parties') continue;
    withoutAPersonMs += to - from;
    byHearing[segment.hearing.kind] = (byHearing[segment.hearing.kind] ?? 0) + (to - from);
    if (segment.hearing.kind !== 'silence') continue;
    silence = silence !== null && silence.to === from ? { from: silence.from, to } : { from, to };
    longestSilenceMs = Math.max(longestSilenceMs, silence.to - silence.from);
  }
  return {
    stayedOnTheLine: !timeline.ended,
    reconnectMs: reconnect === undefined ? null : reconnect.from - droppedAt,
    withoutAPersonMs,
    byHearing,
    longestSilenceMs,
  };
}
