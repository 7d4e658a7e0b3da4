import type { Effect, EffectParams, StepResult } from '../../src/index.ts';
import { stateName } from '../../src/index.ts';
import {
  AGENT_CALL,
  EXTERNAL,
  PING_TASK,
  Run,
  SUPERVISOR,
  accepted,
  joined,
  left,
  tag,
} from '../fixtures.ts';

/** Short ways into the states the behaviour tests start from. */

/** The parameters of every effect of one type, in the order they were asked for. */
export function paramsOf<K extends Effect['type']>(
  effects: readonly Effect[],
  type: K,
): EffectParams[K][] {
  // TypeScript does not narrow a union by a generic key; the filter guarantees the type.
  return effects.filter((e) => e.type === type).map((e) => e.params as EffectParams[K]);
}

export const typesOf = (result: StepResult) => result.effects.map((e) => e.type);

export const nameOf = (run: Run) => stateName(run.snapshot);

/** A connected call with an external number (eoe false) and a supervisor (eoe true). */
export function connectedWithThirdParties(): Run {
  const run = Run.connected();
  run.send(
    joined(EXTERNAL, { label: 'external' }),
    joined(SUPERVISOR, { label: 'supervisor', eoe: true }),
  );
  return run;
}

/** The agent's leg dropped: the recovery is pinging. */
export function pinging(run = Run.connected()): Run {
  run.send(left(AGENT_CALL));
  return run;
}

/** The ping was accepted: the customer waits for the same agent. */
export function reconnecting(run = pinging()): Run {
  run.send(accepted(PING_TASK, tag('ping')));
  return run;
}
