import type { ScenarioEntry, ScenarioReport } from '../../src/scenarios/index.ts';
import { effectResult } from '../../src/stack/lifeline-api.ts';
import { seconds } from './format.ts';
import type { Style } from './style.ts';

const hearingNames: Record<string, string> = {
  announcement: 'announcement',
  'queue-music': 'queue music',
  'hold-music': 'hold music',
  'wait-music': 'wait music',
  silence: 'silence',
  nothing: 'not connected',
  ringing: 'ringing',
  playing: 'playing',
};

/** Issue 9's "no silence" goal: the customer never hears more than a second of dead air. */
export const SILENCE_GOAL_MS = 1000;

/**
 * The goal holds for Lifeline's recoveries. A call that never started one (a graceful end, a
 * transfer) is plain Flex's, so its silence is shown but not judged.
 */
function silenceVerdict(report: ScenarioReport, style: Style): string {
  if (report.view.snapshot.context.recoveries === 0) return '(no recovery: plain Flex)';
  const ok = report.experience.longestSilenceMs <= SILENCE_GOAL_MS;
  return `${ok ? style.ok('✓') : style.fail('✗')} (goal ≤ ${seconds(SILENCE_GOAL_MS)})`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The closing lines: what the customer lived through and what the server did. */
export function summaryLines(
  entry: ScenarioEntry,
  report: ScenarioReport,
  durable: boolean,
  style: Style,
): string[] {
  const { experience } = report;
  const passed = report.outcome === entry.expected;
  const breakdown = Object.entries(experience.byHearing)
    .filter(([, ms]) => ms !== undefined && ms >= 10)
    .map(([kind, ms]) => `${hearingNames[kind] ?? kind} ${seconds(ms ?? 0)}`)
    .join(', ');
  const results = report.view.timeline.flatMap((e) => {
    const result = effectResult(e);
    return result === null ? [] : [result];
  });
  const done = results.filter((r) => !r.result.startsWith('retry in'));
  const latencies = done.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]));
  const reconnect =
    experience.reconnectMs === null
      ? 'no agent reconnected'
      : `${seconds(experience.reconnectMs)} (with ${report.agentCall?.agentName ?? 'an agent'})`;
  return [
    style.bold(`Summary: ${entry.name} (${entry.summary})`),
    `  outcome:           ${report.outcome} ${passed ? style.ok('✓') : style.fail(`✗ expected ${entry.expected}`)}`,
    `  customer silence:  ${seconds(experience.withoutAPersonMs)} without hearing a person${breakdown === '' ? '' : ` (${breakdown})`}`,
    `  longest silence:   ${seconds(experience.longestSilenceMs)} ${silenceVerdict(report, style)}`,
    `  time to reconnect: ${reconnect}`,
    `  customer's call:   ${experience.stayedOnTheLine ? 'stayed up throughout' : 'ended'}`,
    `  effects:           ${done.length} run, ${results.length - done.length} retried; latency median ${median(latencies)} ms, max ${Math.max(0, ...latencies)} ms`,
    `  store:             ${durable ? 'Redis' : 'embedded in-memory store (not durable)'}`,
    ...report.notes.map((note) => `  ${note}`),
  ];
}
