import type { EffectType } from '@lifeline/machine';

/**
 * Effects whose request the runner marks in Redis before it goes out (store startEffect),
 * so a later attempt knows whether an earlier one may have reached Twilio unanswered (it
 * timed out, or its instance died or lost the lease mid-call). They are the ones that cannot
 * simply set the same values again:
 *   announceHold     nothing to read back: once a request may have arrived it is not sent
 *                    again (the customer hears it once, or only the hold music the recovery
 *                    also started: never the same message twice)
 *   createPingTask   looks its task up by the Lifeline tag only then, instead of on every
 *                    first attempt (a mass disconnect saves one TaskRouter read per drop)
 *   moveParticipant  redirecting a call already in the target conference would take it out
 *                    and back in: it checks the participant list first only then
 * Every other effect reads Twilio first on every attempt or sets the same flags again.
 */
export const MARKED_EFFECTS: ReadonlySet<EffectType> = new Set<EffectType>([
  'announceHold',
  'createPingTask',
  'moveParticipant',
]);
