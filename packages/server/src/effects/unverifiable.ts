import type { EffectType } from '@lifeline/machine';

/**
 * Effects whose Twilio request leaves nothing to read back before trying again. Every other
 * effect makes itself idempotent by reading Twilio first (a task found by its Lifeline tag, a
 * participant's flags set to the same values, a call's status), so a retry after a request
 * whose answer was lost cannot do it twice. A conference announcement cannot be checked: once
 * a request of it may have reached Twilio (it timed out, or the instance running it died),
 * it is not sent again. The customer then hears it once or, if that request never arrived,
 * only the hold music the recovery also started: better than the same message twice, and
 * what issue 12's "no effect runs twice" asks.
 */
export const UNVERIFIABLE_EFFECTS: ReadonlySet<EffectType> = new Set<EffectType>(['announceHold']);
