/**
 * The statechart as plain data, read from the machine object: docs/statecharts (scripts/chart)
 * and the server's inspector draw from this one model, so they never disagree.
 */
import { recoveryMachine } from '../machine.ts';
import { start } from '../step.ts';
import type { Chart } from './model.ts';
import { walkMachine } from './walk.ts';

export * from './model.ts';
export { walkMachine } from './walk.ts';
export type { MachineLike, NodeLike, TransitionLike } from './walk.ts';
export { describeAction, enqueuedEffects } from './actions.ts';
export type { ActionImplementations } from './actions.ts';
export { describeGuard } from './guards.ts';
export { delayOfAfterEvent } from './after-event.ts';

/** The recovery chart with its delays evaluated for the default config. */
export function recoveryChart(): Chart {
  const { context } = start({ conferenceSid: 'CF00000000000000000000000000000000' }).snapshot;
  return walkMachine(recoveryMachine, context);
}
