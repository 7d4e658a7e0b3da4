import type { ModalCopy } from '../copy.ts';
import type { EffectType } from '../effects.ts';

/**
 * A plain-data view of the statechart, read once from the XState machine object, so the
 * renderers (Mermaid, tables) are pure functions over simple values and never touch XState
 * internals themselves.
 */

/** How an action shows up in the docs. */
export type ActionKind =
  /** Asks the adapter for one effect of that type. */
  | 'effect'
  /** An enqueueActions action that may ask for the listed effects, depending on context. */
  | 'composite'
  /** Starts the delayed event of an `after` transition. */
  | 'timer-start'
  /** Cancels it (on exit of the state). */
  | 'timer-cancel'
  /** Updates context only (assign) or anything else the adapter never sees. */
  | 'bookkeeping';

export interface ChartAction {
  name: string;
  kind: ActionKind;
  /** Effects this action may ask for: itself for 'effect', what it enqueues for 'composite'. */
  effects: EffectType[];
}

export type Trigger =
  | { kind: 'event'; event: string }
  | { kind: 'after'; delay: string; event: string }
  | { kind: 'always' };

export interface ChartTransition {
  /** Dotted path of the state that declares the transition. */
  source: string;
  trigger: Trigger;
  /** Readable guard expression, null when unguarded. */
  guard: string | null;
  /** Position among the candidates for the same trigger in the same state (0: tried first). */
  order: number;
  /** Dotted paths; empty for a targetless transition (actions only). */
  targets: string[];
  actions: ChartAction[];
}

export type StateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface ChartState {
  /** Dotted path from the root, '' for the root itself. */
  path: string;
  key: string;
  type: StateType;
  /** Dotted path of the initial child, for compound states. */
  initial: string | null;
  tags: string[];
  summary: string | null;
  modal: ModalCopy | null;
  entry: ChartAction[];
  exit: ChartAction[];
  transitions: ChartTransition[];
  children: ChartState[];
}

export interface Chart {
  id: string;
  root: ChartState;
  /** Delay name → milliseconds with the default config (null when it cannot be evaluated). */
  delays: Record<string, number | null>;
}

/** Every state below the root, parents before their children, in declaration order. */
export function allStates(chart: Chart): ChartState[] {
  const out: ChartState[] = [];
  const visit = (state: ChartState) => {
    for (const child of state.children) {
      out.push(child);
      visit(child);
    }
  };
  visit(chart.root);
  return out;
}

/** Every transition of the chart, including the root's, in declaration order. */
export function allTransitions(chart: Chart): ChartTransition[] {
  return [chart.root, ...allStates(chart)].flatMap((state) => state.transitions);
}

/** The effects an action list may ask for, in order, without repeats. */
export function effectsOf(actions: readonly ChartAction[]): EffectType[] {
  return [...new Set(actions.flatMap((action) => action.effects))];
}

/** 20000 → "20 s", 1500 → "1.5 s", 250 → "250 ms". */
export function formatMs(ms: number | null): string {
  if (ms === null) return 'set at run time';
  if (ms < 1000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}
