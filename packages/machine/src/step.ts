import { createActor, initialTransition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import type { RecoveryInput } from './context.ts';
import type { Effect } from './effects.ts';
import { isEffectType } from './effects.ts';
import type { RecoveryEvent } from './events.ts';
import { jsonEqual } from './json.ts';
import { recoveryMachine } from './machine.ts';

export type RecoverySnapshot = SnapshotFrom<typeof recoveryMachine>;

/** A delayed event the host must deliver at now + delayMs (durably: the server keeps due-times). */
export interface TimerRequest {
  id: string;
  event: TimerEvent;
  delayMs: number;
}

/** XState's own event for an `after` transition, e.g. xstate.after.pingTimeout.recovery.recovering.pinging */
export interface TimerEvent {
  type: `xstate.after.${string}`;
}

export interface StepResult {
  snapshot: RecoverySnapshot;
  effects: Effect[];
  schedule: TimerRequest[];
  cancel: string[];
  /** False when the event left state and context untouched (duplicate, stale or irrelevant). */
  changed: boolean;
}

export type StepEvent = RecoveryEvent | TimerEvent;

interface ActionLike {
  type: string;
  params?: unknown;
}

function collect(snapshot: RecoverySnapshot, actions: readonly ActionLike[], changed: boolean) {
  const result: StepResult = { snapshot, effects: [], schedule: [], cancel: [], changed };
  for (const action of actions) {
    if (isEffectType(action.type)) {
      result.effects.push({ type: action.type, params: action.params } as Effect);
    } else if (action.type === 'xstate.raise') {
      const params = action.params as { event: TimerEvent; id: string; delay?: number };
      if (typeof params.delay === 'number') {
        result.schedule.push({ id: params.id, event: params.event, delayMs: params.delay });
      }
    } else if (action.type === 'xstate.cancel') {
      result.cancel.push((action.params as { sendId: string }).sendId);
    }
  }
  return result;
}

/** The first snapshot of a conference's recovery actor. */
export function start(input: RecoveryInput): StepResult {
  const [snapshot, actions] = initialTransition(recoveryMachine, input);
  return collect(snapshot, actions, true);
}

/** The scope `recoveryMachine.transition` runs in, as the machine's own logic types it. */
type RecoveryScope = Parameters<typeof recoveryMachine.transition>[2];

/**
 * The actor scope every step runs in, made once. XState's `transition()` builds a fresh inert
 * actor per call, and its constructor computes the machine's whole initial snapshot only to
 * throw it away: two thirds of a step's cost. The machine invokes and spawns nothing, so the
 * scope's actor and system carry no state between steps; the only per-step part is where
 * actions go, and a step is synchronous, so one collector at a time. `step-scope.test.ts`
 * pins this to `transition()`: same snapshots, same actions.
 */
interface StepScope {
  actorScope: RecoveryScope;
  /** Where the running step's actions go: set fresh by every step. */
  collected: ActionLike[];
}

let shared: StepScope | undefined;

function stepScope(): StepScope {
  if (shared !== undefined) return shared;
  // The input only shapes the initial snapshot this actor computes once and never uses.
  const self = createActor(recoveryMachine, { input: { conferenceSid: '' } });
  const made: StepScope = {
    collected: [],
    actorScope: {
      self,
      id: '',
      sessionId: '',
      system: self.system,
      defer: () => undefined,
      logger: () => undefined,
      stopChild: () => undefined,
      emit: () => undefined,
      actionExecutor: (action) => void made.collected.push(action),
    },
  };
  shared = made;
  return made;
}

/** Pure: the next snapshot and everything it asks the host to do. Never throws on odd input. */
export function step(snapshot: RecoverySnapshot, event: StepEvent): StepResult {
  const scope = stepScope();
  const actions: ActionLike[] = [];
  scope.collected = actions;
  const next = recoveryMachine.transition(snapshot, event as RecoveryEvent, scope.actorScope);
  // Compared by value: an assign that rewrites a field with what it already held (a
  // duplicate task event, a repeated report) is still no change to persist or publish.
  // The state value first: it is the smaller of the two, and whenever it moved the context
  // need not be walked at all.
  const changed =
    !jsonEqual(next.value, snapshot.value) || !jsonEqual(next.context, snapshot.context);
  return collect(next, actions, changed);
}

/** The leaf state name: connected, disconnected, pinging, reconnecting, redialing, escalated, or a final one. */
export function stateName(snapshot: RecoverySnapshot): string {
  const value = snapshot.value;
  if (typeof value === 'string') return value;
  const [, child] = Object.entries(value)[0] ?? [];
  return typeof child === 'string' ? child : 'unknown';
}
