import type { StateMeta } from '../copy.ts';
import type { ActionImplementations } from './actions.ts';
import { describeAction } from './actions.ts';
import { delayOfAfterEvent } from './after-event.ts';
import { describeGuard } from './guards.ts';
import type { Chart, ChartState, ChartTransition, StateType, Trigger } from './model.ts';

/**
 * The parts of an XState v5 StateNode the docs read. Declared structurally so the walker
 * depends on what it uses rather than on XState's generic types.
 */
export interface TransitionLike {
  eventType: string;
  target?: readonly NodeLike[] | undefined;
  guard?: unknown;
  actions: readonly unknown[];
  delay?: unknown;
}

export interface NodeLike {
  key: string;
  id: string;
  path: readonly string[];
  type: StateType;
  tags: readonly string[];
  meta?: unknown;
  states: Readonly<Record<string, NodeLike>>;
  initial?: { target: readonly NodeLike[] } | undefined;
  transitions: ReadonlyMap<string, readonly TransitionLike[]>;
  after: readonly TransitionLike[];
  always?: readonly TransitionLike[] | undefined;
  entry: readonly unknown[];
  exit: readonly unknown[];
}

export interface MachineLike {
  id: string;
  root: NodeLike;
  implementations: {
    actions: ActionImplementations;
    delays: Readonly<Record<string, unknown>>;
  };
}

const AFTER_PREFIX = 'xstate.after.';

function isStateMeta(meta: unknown): meta is StateMeta {
  return typeof meta === 'object' && meta !== null && 'summary' in meta && 'modal' in meta;
}

function pathOf(node: NodeLike): string {
  return node.path.join('.');
}

function transition(
  source: NodeLike,
  trigger: Trigger,
  definition: TransitionLike,
  order: number,
  implementations: ActionImplementations,
): ChartTransition {
  return {
    source: pathOf(source),
    trigger,
    guard: describeGuard(definition.guard),
    order,
    targets: (definition.target ?? []).map(pathOf),
    actions: definition.actions.map((action) => describeAction(action, implementations)),
  };
}

function transitionsOf(node: NodeLike, implementations: ActionImplementations): ChartTransition[] {
  const out: ChartTransition[] = [];
  for (const [eventType, definitions] of node.transitions) {
    // `after` transitions are listed in node.transitions too, under XState's own event type.
    if (eventType.startsWith(AFTER_PREFIX)) continue;
    definitions.forEach((definition, order) => {
      out.push(
        transition(node, { kind: 'event', event: eventType }, definition, order, implementations),
      );
    });
  }
  const byDelay = new Map<string, number>();
  for (const definition of node.after) {
    const delay =
      typeof definition.delay === 'string' || typeof definition.delay === 'number'
        ? String(definition.delay)
        : delayOfAfterEvent(definition.eventType);
    const order = byDelay.get(delay) ?? 0;
    byDelay.set(delay, order + 1);
    const trigger: Trigger = { kind: 'after', delay, event: definition.eventType };
    out.push(transition(node, trigger, definition, order, implementations));
  }
  (node.always ?? []).forEach((definition, order) => {
    out.push(transition(node, { kind: 'always' }, definition, order, implementations));
  });
  return out;
}

function walkNode(node: NodeLike, implementations: ActionImplementations): ChartState {
  // XState adds the timer actions of `after` to entry/exit the first time `.after` is read,
  // so read it (inside transitionsOf) before entry and exit.
  const transitions = transitionsOf(node, implementations);
  const meta = isStateMeta(node.meta) ? node.meta : null;
  return {
    path: pathOf(node),
    key: node.key,
    type: node.type,
    initial: node.initial?.target[0] !== undefined ? pathOf(node.initial.target[0]) : null,
    tags: [...node.tags],
    summary: meta?.summary ?? null,
    modal: meta?.modal ?? null,
    entry: node.entry.map((action) => describeAction(action, implementations)),
    exit: node.exit.map((action) => describeAction(action, implementations)),
    transitions,
    children: Object.values(node.states).map((child) => walkNode(child, implementations)),
  };
}

function delayMs(delay: unknown, context: unknown): number | null {
  if (typeof delay === 'number') return delay;
  if (typeof delay !== 'function') return null;
  const value: unknown = delay({ context, event: { type: 'xstate.init' } });
  return typeof value === 'number' ? value : null;
}

/**
 * Reads the machine object into plain data. `context` is the context the named delays are
 * evaluated with (the initial context, so the docs show the default durations).
 */
export function walkMachine(machine: MachineLike, context: unknown): Chart {
  const delays: Record<string, number | null> = {};
  for (const [name, delay] of Object.entries(machine.implementations.delays)) {
    delays[name] = delayMs(delay, context);
  }
  return { id: machine.id, root: walkNode(machine.root, machine.implementations.actions), delays };
}
