/**
 * The statechart the page draws, read from the machine itself through the same model that
 * generates docs/statecharts (@lifeline/machine/chart): states, their nesting, and edges.
 */
import type { EndReason } from '@lifeline/machine';
import type { Chart, ChartState, ChartTransition } from '@lifeline/machine/chart';
import { allStates, allTransitions, recoveryChart } from '@lifeline/machine/chart';

export interface ChartView {
  root: ChartState;
  /** Every state, parents first; `leaf` ones are what a conference can be "in". */
  states: { path: string; key: string; type: string; leaf: boolean }[];
  edges: { source: string; target: string; label: string }[];
  /** Values the list's outcome filter offers. */
  outcomes: string[];
}

/** Outcome names as the listing stores them: 'none' while undecided (see summary.ts). */
const OUTCOMES = [
  'none',
  'recovered',
  'graceful',
  'customer-hung-up',
  'abandoned',
  'conference-ended',
  'handled-by-another-agent',
] as const satisfies readonly ('none' | 'recovered' | EndReason)[];

function label(transition: ChartTransition): string {
  const trigger =
    transition.trigger.kind === 'event'
      ? transition.trigger.event
      : transition.trigger.kind === 'after'
        ? `after ${transition.trigger.delay}`
        : 'always';
  return transition.guard === null ? trigger : `${trigger} [${transition.guard}]`;
}

export function chartView(chart: Chart = recoveryChart()): ChartView {
  return {
    root: chart.root,
    states: allStates(chart).map((state) => ({
      path: state.path,
      key: state.key,
      type: state.type,
      leaf: state.children.length === 0,
    })),
    edges: allTransitions(chart).flatMap((transition) =>
      transition.targets.map((target) => ({
        source: transition.source,
        target,
        label: label(transition),
      })),
    ),
    outcomes: [...OUTCOMES],
  };
}

/** Dotted paths of every active state of a snapshot value, parents before children. */
export function activePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    `${prefix}${key}`,
    ...activePaths(child, `${prefix}${key}.`),
  ]);
}
