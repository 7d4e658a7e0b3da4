import { readLifelineTag } from './attributes.ts';
import { isLiveCallStatus } from './call-status.ts';
import type { EffectParams } from './effects.ts';
import type { BridgeEnd, CustomerDequeued } from './events.ts';
import { enqueueParams } from './plans.ts';
import type { RecoverySnapshot, StepEvent } from './step.ts';
import { stateName } from './step.ts';

/**
 * A customer Lifeline queued (reconnect or escalation) is bridged by TaskRouter into the
 * accepting agent's conference; their <Enqueue> ends only when that conference lets them go,
 * and Twilio then asks the Enqueue's action URL (QueueResult=bridged) what to do with a
 * caller who may still be on the line. Flex re-sets endConferenceOnExit on a new agent leg
 * and Lifeline undoes it a callback and a REST call later: an agent page that reloads inside
 * that window ends the whole conference. This module answers, from the recoveries' own
 * snapshots, whether such an end was the call ending (an agent hung up through Flex) or the
 * call lost under the customer.
 */

/** Whether the request says the caller is still there; unknown counts as there. */
export function isCallerOnTheLine(callStatus: string | null): boolean {
  return callStatus === null || isLiveCallStatus(callStatus);
}

/**
 * How the conference the customer was bridged into ended, read from that conference's own
 * recovery: `hung-up` when an agent ended the call through Flex (the plugin reports a hang-up
 * before Flex carries it out, so it is recorded by the time the conference ends), `lost` when
 * a drop was seen or nothing graceful was, null without a snapshot (not known).
 */
export function bridgeEndOf(bridged: RecoverySnapshot | null): BridgeEnd | null {
  if (bridged === null) return null;
  if (stateName(bridged) === 'graceful') return 'hung-up';
  if (typeof bridged.value === 'object' && 'recovering' in bridged.value) return 'lost';
  const agents = Object.values(bridged.context.agents);
  const hungUp = agents.some((agent) => agent.exit === 'hangup');
  const dropped = agents.some((agent) => !agent.present && agent.exit === null);
  return hungUp && !dropped ? 'hung-up' : 'lost';
}

/** The Enqueue ended because its bridged conference went down under a caller still there. */
export function isBridgeLost(event: CustomerDequeued): boolean {
  return (
    event.queueResult === 'bridged' &&
    isCallerOnTheLine(event.callStatus) &&
    event.bridgeEnd !== 'hung-up'
  );
}

/** Final states reached once the customer was seen in the new conference. */
const BRIDGED_OUTCOMES = ['recovered', 'handledByAnotherAgent'];

/**
 * A finished recovery cannot take events, yet its customer's Enqueue outlives it: when the
 * conference the recovery brought the customer into is lost, the caller is queued again for
 * any agent with the raised priority, as an escalation from this recovery. Null when the
 * recovery is not finished that way, the call is someone else's, or the call simply ended.
 */
export function requeueAfterLostBridge(
  owner: RecoverySnapshot,
  event: CustomerDequeued,
  bridgedConferenceSid: string | null,
): EffectParams['enqueueCustomer'] | null {
  const { context } = owner;
  if (context.recovery === null || !BRIDGED_OUTCOMES.includes(stateName(owner))) return null;
  if (event.callSid !== context.customerCallSid || !isBridgeLost(event)) return null;
  const params = enqueueParams(context, 'escalation');
  return { ...params, key: `${params.key}:bridge-lost:${bridgedConferenceSid ?? 'unknown'}` };
}

/**
 * The conference whose recovery queued the customer of the call this event makes known (a
 * registration or a lookup, whose task carries Lifeline's reconnect or escalation tag), so
 * the adapter can find where that recovery's customer went; null for any other event.
 */
export function queuedByRecovery(event: StepEvent, conferenceSid: string): string | null {
  if (event.type !== 'agent.registered' && event.type !== 'effect.callLookedUp') return null;
  const tag = readLifelineTag(event.taskAttributes);
  if (tag === null || tag.kind === 'ping' || tag.conferenceSid === conferenceSid) return null;
  return tag.conferenceSid;
}
