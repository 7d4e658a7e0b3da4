import type { EffectType } from '../effects.ts';
import { effectTypes, isEffectType } from '../effects.ts';
import { delayOfAfterEvent } from './after-event.ts';
import type { ChartAction } from './model.ts';

/** The machine's named action implementations, as `machine.implementations.actions` holds them. */
export type ActionImplementations = Readonly<Record<string, unknown>>;

function field(value: unknown, name: string): unknown {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/**
 * The effects an enqueueActions action may ask for. What it enqueues depends on context at
 * run time, so the only static record is its source: effect type names written as
 * `type: '…'` or `enqueue('…')` inside the collect function. Reading the function text keeps
 * the docs in step with the machine without a hand-kept list that could drift.
 */
export function enqueuedEffects(collect: unknown): EffectType[] {
  if (typeof collect !== 'function') return [];
  const source = collect.toString();
  const found: EffectType[] = [];
  const pattern = /(?:\btype\s*:\s*|\benqueue\(\s*)['"`]([A-Za-z]+)['"`]/g;
  for (const match of source.matchAll(pattern)) {
    const name = match[1] ?? '';
    if (isEffectType(name) && !found.includes(name)) found.push(name);
  }
  // Declaration order of effectTypes, so the docs do not depend on code layout.
  return effectTypes.filter((type) => found.includes(type));
}

function named(name: string, implementations: ActionImplementations): ChartAction {
  if (isEffectType(name)) return { name, kind: 'effect', effects: [name] };
  const implementation = implementations[name];
  const collect = field(implementation, 'collect');
  if (collect !== undefined) {
    return { name, kind: 'composite', effects: enqueuedEffects(collect) };
  }
  return { name, kind: 'bookkeeping', effects: [] };
}

/** Classifies one entry of a state's or transition's action list. */
export function describeAction(
  action: unknown,
  implementations: ActionImplementations,
): ChartAction {
  if (typeof action === 'string') return named(action, implementations);
  const type = field(action, 'type');
  if (type === 'xstate.raise') {
    const delay = field(action, 'delay');
    const id = field(action, 'id');
    const name =
      typeof delay === 'string' ? delay : typeof id === 'string' ? delayOfAfterEvent(id) : 'raise';
    return { name, kind: 'timer-start', effects: [] };
  }
  if (type === 'xstate.cancel') {
    const sendId = field(action, 'sendId');
    const name = typeof sendId === 'string' ? delayOfAfterEvent(sendId) : 'cancel';
    return { name, kind: 'timer-cancel', effects: [] };
  }
  if (typeof type === 'string' && typeof action === 'object') return named(type, implementations);
  if (type === 'xstate.enqueueActions') {
    return {
      name: 'inline enqueueActions',
      kind: 'composite',
      effects: enqueuedEffects(field(action, 'collect')),
    };
  }
  return {
    name: typeof type === 'string' ? type : 'inline action',
    kind: 'bookkeeping',
    effects: [],
  };
}
