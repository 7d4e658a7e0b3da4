import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { getMicrosteps, getStateNodes } from 'xstate';
import type { RecoveryEvent, RecoverySnapshot, StepEvent } from '../../src/index.ts';
import { recoveryMachine } from '../../src/index.ts';

/**
 * The statechart's own definition, walked from recoveryMachine.root, and which parts of it a
 * step used. Coverage is asserted against this walk, so a state or transition added to the
 * machine without a path that reaches it fails the path test.
 */

/** Every state node, the root included, by id (e.g. `recovery.recovering.pinging`). */
export function allStateIds(node: AnyStateNode = recoveryMachine.root): string[] {
  return [node.id, ...Object.values(node.states).flatMap((child) => allStateIds(child))];
}

/** `source --event[n]--> target`: n tells guarded candidates for one event apart. */
export function transitionId(t: AnyTransitionDefinition): string {
  const isAlways = t.source.always?.includes(t) === true;
  const event = isAlways ? 'always' : t.eventType;
  const candidates = isAlways ? (t.source.always ?? []) : (t.source.transitions.get(event) ?? []);
  const targets = t.target?.map((s) => s.id).join(',') ?? '(stays)';
  return `${t.source.id} --${event}[${candidates.indexOf(t)}]--> ${targets}`;
}

/** Every transition the machine defines: `on`, `after` (listed under `on` by XState) and `always`. */
export function allTransitionIds(node: AnyStateNode = recoveryMachine.root): string[] {
  const own = [...node.transitions.values(), node.always ?? []].flat().map(transitionId);
  return [...own, ...Object.values(node.states).flatMap((child) => allTransitionIds(child))];
}

function nodesOf(snapshot: RecoverySnapshot): AnyStateNode[] {
  return getStateNodes(recoveryMachine.root, snapshot.value);
}

export interface StepTrace {
  /** State nodes active at rest or passed through (a transient state like `disconnected`). */
  states: string[];
  transitions: string[];
}

/**
 * Which transitions one event takes, eventless ones included. The event's own transitions
 * come from XState's selection; each later microstep is an `always` transition, identified
 * by the state it left and the one it entered.
 */
export function traceStep(before: RecoverySnapshot, event: StepEvent): StepTrace {
  // step() casts the same way: XState's own after-events are not in RecoveryEvent.
  const machineEvent = event as RecoveryEvent;
  const taken = recoveryMachine.getTransitionData(before, machineEvent);
  const transitions = taken.map(transitionId);
  const microsteps = getMicrosteps(recoveryMachine, before, machineEvent).map(([s]) => s);
  const states = new Set<string>();
  let previous = microsteps[0];
  for (const snapshot of microsteps) {
    for (const node of nodesOf(snapshot)) states.add(node.id);
    if (previous !== undefined && snapshot !== previous) {
      transitions.push(...eventlessBetween(previous, snapshot));
    }
    previous = snapshot;
  }
  return { states: [...states], transitions };
}

function eventlessBetween(from: RecoverySnapshot, to: RecoverySnapshot): string[] {
  const after = new Set(nodesOf(to));
  const candidates = nodesOf(from)
    .flatMap((node) => node.always ?? [])
    .filter((t) => t.target?.every((target) => after.has(target)) === true && !after.has(t.source));
  if (candidates.length !== 1) {
    throw new Error(`cannot tell which eventless transition led from ${String(from.value)}`);
  }
  return candidates.map(transitionId);
}
