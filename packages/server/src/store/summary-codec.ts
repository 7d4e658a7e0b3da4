/**
 * The inspector's summary of a conference as stored: the state hash's 'summary' field
 * (lua/commit.lua), a positional JSON array with the time of the conference's first commit
 * in front, about 110 bytes where an object was 190. Summaries of the layout before (an
 * object in the listing's summaries hash, its first commit in the created sorted set) are
 * read as well.
 */
import type { ConferenceSummary } from './types.ts';

export interface StoredSummary {
  summary: ConferenceSummary;
  /** The first commit's time, when the summary holds it (the created zset has it otherwise). */
  createdAt: number | undefined;
}

/**
 * `,state,final,outcome,workerSid,taskSid,recoveryStartedAt]`: commit.lua puts `[createdMs`
 * in front. final is 1 or 0.
 */
export function encodeSummary(summary: ConferenceSummary): string {
  const row = [
    summary.state,
    summary.final ? 1 : 0,
    summary.outcome,
    summary.workerSid,
    summary.taskSid,
    summary.recoveryStartedAt,
  ];
  return `,${JSON.stringify(row).slice(1)}`;
}

const orNull = <T>(value: unknown, type: 'string' | 'number'): T | null =>
  typeof value === type ? (value as T) : null;

export function parseSummary(raw: string | null | undefined): StoredSummary | null {
  if (raw == null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed))
      return { summary: parsed as ConferenceSummary, createdAt: undefined };
    const [createdAt, state, final, outcome, workerSid, taskSid, recoveryStartedAt] =
      parsed as unknown[];
    return {
      summary: {
        state: String(state),
        final: final === 1,
        outcome: orNull(outcome, 'string'),
        workerSid: orNull(workerSid, 'string'),
        taskSid: orNull(taskSid, 'string'),
        recoveryStartedAt: orNull(recoveryStartedAt, 'number'),
      },
      createdAt: typeof createdAt === 'number' ? createdAt : undefined,
    };
  } catch {
    return null;
  }
}
