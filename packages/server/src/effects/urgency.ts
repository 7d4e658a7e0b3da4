import type { EffectType } from '@lifeline/machine';
import { isEffectType } from '@lifeline/machine';

/**
 * Which claimed effect the runner starts first when more are due than it may run at once (a
 * mass disconnect: hundreds of recoveries starting together under Twilio's concurrency cap).
 * Lower starts sooner. What a customer hears comes first: no customer should wait in silence
 * for another customer's ping task or Insights tag.
 *
 *   0  the hold announcement: the customer learns the agent will be right back
 *   1  holds: the customer (or a held party) is kept on hold audio, never in silence
 *   2  keeping and moving calls: flags, queueing, re-dials, finding a call, ending one
 *   3  TaskRouter steps on the customer's way back to an agent: the ping task, completing a
 *      ping or a wrapping reservation (a wrapping task holds the agent's voice capacity: the
 *      customer's task cannot reach the agent before it ends), retargets and cancels
 *   4  checks and bookkeeping: reconciling with Twilio (a wrap-up or a restart: it finds
 *      leaves a dead instance missed, which a live recovery has mostly heard already), and
 *      the Insights tags. A mass disconnect measured every ping task at 2.2-2.5x its floor
 *      while the pings waited behind tags and wrap-up reconciles
 *   5  anything the runner does not know (it records and drops it)
 */
const urgency: Record<EffectType, number> = {
  announceHold: 0,
  holdCustomer: 1,
  holdParty: 1,
  keepInConference: 2,
  enqueueCustomer: 2,
  moveParticipant: 2,
  lookupCall: 2,
  locateCustomer: 2,
  collectRedialJoins: 2,
  endConference: 2,
  createPingTask: 3,
  completeTask: 3,
  completeReservation: 3,
  retargetTask: 3,
  cancelTask: 3,
  reconcileConference: 4,
  tagTask: 4,
};

export const UNKNOWN_URGENCY = 5;

export function urgencyOf(type: string): number {
  return isEffectType(type) ? urgency[type] : UNKNOWN_URGENCY;
}

/**
 * How much earlier than its commit an effect is due, per rank of urgency above unknown. It
 * orders a burst (effects committed within a few seconds of each other: a mass disconnect's
 * leaves) and bounds what a less urgent effect waits behind newer, more urgent ones: a ping
 * task at most 3 ranks x 3 s behind announcements committed after it, inside the ping
 * timeout (15 s by default). At a minute a rank, drops sustained over 20 s (the 500-call
 * scale-out run) kept each ping waiting 25 s behind later recoveries' first steps: agents back
 * within 3 s were given up on, and their customers escalated to someone else.
 */
export const URGENCY_HEAD_START_MS = 3_000;

/**
 * The outbox is claimed lowest due time first, so a commit enqueues an effect this much
 * before its commit time: an announcement committed up to 3 s (a rank) after a burst of
 * bookkeeping is still claimed before each rank below it. Already due either way, so nothing
 * waits longer than it would in commit order plus the bound above.
 */
export function headStartMs(type: string): number {
  return (UNKNOWN_URGENCY - urgencyOf(type)) * URGENCY_HEAD_START_MS;
}
