import { createActor, initialTransition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import type { RecoveryInput } from './context.ts';
import type { Effect } from './effects.ts';
import { isEffectType } from './effects.ts';
import type { RecoveryEvent } from './events.ts';
import { jsonEqual } from './json.ts';
import { recoveryMachine } from './machine.ts';
import { V3_PING_TIMEOUT } from './migrations.ts';

export type RecoverySnapshot = SnapshotFrom<typeof recoveryMachine>;

/** A delayed event the host must deliver at now + delayMs (durably: the server keeps due-times). */
export interface TimerRequest {
  id: string;
  event: TimerEvent;
  delayMs: number;
}

/** XState's own event for an `after` transition, e.g. xstate.after.pingTimeout.recovery.recovering.pinging.offered */
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

/**
 * A timer an older build scheduled, as this chart names it. A version-3 snapshot migrated in
 * `pinging` (migrations.ts) still has that build's ping timeout in the host's timers: it
 * stands for whichever of the two ping bounds now runs, so the recovery keeps its backstop.
 */
function legacyTimerEvent(snapshot: RecoverySnapshot, event: StepEvent): StepEvent {
  if (event.type !== V3_PING_TIMEOUT) return event;
  if (snapshot.matches({ recovering: { pinging: 'creating' } })) {
    return { type: 'xstate.after.pingCreateTimeout.recovery.recovering.pinging.creating' };
  }
  if (snapshot.matches({ recovering: { pinging: 'offered' } })) {
    return { type: 'xstate.after.pingTimeout.recovery.recovering.pinging.offered' };
  }
  return event;
}

/** Pure: the next snapshot and everything it asks the host to do. Never throws on odd input. */
export function step(snapshot: RecoverySnapshot, input: StepEvent): StepResult {
  const event = legacyTimerEvent(snapshot, input);
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

/**
 * The step's name: connected, disconnected, pinging, reconnecting, redialing, escalated, or a
 * final one. A step's own inner states (pinging's creating and offered) are not named: the
 * modal, the listing and the summaries speak of the step.
 */
export function stateName(snapshot: RecoverySnapshot): string {
  const value = snapshot.value;
  if (typeof value === 'string') return value;
  const [, child] = Object.entries(value)[0] ?? [];
  if (typeof child === 'string') return child;
  const [inner] = Object.keys(child ?? {});
  return inner ?? 'unknown';
}
