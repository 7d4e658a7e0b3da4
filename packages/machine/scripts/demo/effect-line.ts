import type { Effect, JsonObject } from '../../src/index.ts';
import { isJsonObject } from '../../src/index.ts';
import { roles } from './cast.ts';

/** One line of key parameters per effect, with SIDs shortened and named. */

/** CA00000000000000000000000000000001 → "CA…0001". */
export function short(sid: string): string {
  return sid.length > 10 ? `${sid.slice(0, 2)}…${sid.slice(-4)}` : sid;
}

/** CA00000000000000000000000000000001 → "CA…0001 (customer)". */
export function who(sid: string | null): string {
  if (sid === null || sid === '') return '(not known yet)';
  const role = roles.get(sid);
  return role === undefined ? short(sid) : `${short(sid)} (${role})`;
}

/** Attribute paths a patch sets: {a: 1, b: {c: 2}} → "a, b.c". */
export function attributePaths(attributes: JsonObject, prefix = ''): string[] {
  return Object.entries(attributes).flatMap(([key, value]) =>
    isJsonObject(value) ? attributePaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

export function effectLine(effect: Effect): string {
  switch (effect.type) {
    case 'lookupCall':
      return `task ${who(effect.params.taskSid)} and its accepted reservation`;
    case 'holdCustomer':
      return `${who(effect.params.callSid)} kept in and on hold with hold audio`;
    case 'announceHold':
      return `hold announcement in ${who(effect.params.conferenceSid)}`;
    case 'keepInConference':
      return `endConferenceOnExit=false on ${who(effect.params.callSid)}`;
    case 'tagTask':
      return `${who(effect.params.taskSid)} gets ${attributePaths(effect.params.attributes).join(', ')}`;
    case 'createPingTask':
      return `for ${who(effect.params.workerSid)}, priority ${effect.params.priority}, TTL ${effect.params.timeoutS} s`;
    case 'completeTask':
      return `${who(effect.params.taskSid)}: ${effect.params.reason}`;
    case 'cancelTask': {
      const task =
        effect.params.taskSid === null
          ? `${effect.params.kind} task (by recovery id)`
          : who(effect.params.taskSid);
      return `${task}: ${effect.params.reason}`;
    }
    case 'retargetTask':
      return (
        `${effect.params.kind} task ${who(effect.params.taskSid)}: drop ${effect.params.removeAttributes.join(', ')}, ` +
        `set ${attributePaths(effect.params.setAttributes).join(', ')}, priority ${effect.params.priority}`
      );
    case 'enqueueCustomer': {
      const target = effect.params.attributes['targetWorkerSid'];
      const to =
        typeof target === 'string' ? `${roles.get(target) ?? short(target)} only` : 'any agent';
      return `${effect.params.kind} task for ${to}: ${who(effect.params.callSid)} into workflow ${short(effect.params.workflowSid)}, priority ${effect.params.priority}`;
    }
    case 'completeReservation':
      return `${who(effect.params.reservationSid)} of ${who(effect.params.taskSid)}`;
    case 'moveParticipant':
      return (
        // Flex names a task's conference after the task SID, hence the task's name here.
        `${who(effect.params.callSid)} into conference ${short(effect.params.conferenceName)},` +
        ` label ${effect.params.label ?? 'none'}, endConferenceOnExit=${effect.params.endConferenceOnExit}`
      );
    case 'collectRedialJoins':
      return `callbacks of conference ${short(effect.params.conferenceName)} seen before the acceptance`;
    case 'locateCustomer':
      return `is ${who(effect.params.customerCallSid)} in conference ${short(effect.params.conferenceName)}?`;
    case 'holdParty':
      return `${who(effect.params.callSid)} held again in ${who(effect.params.conferenceSid)}`;
    case 'reconcileConference':
      return `are ${effect.params.calls.map((call) => who(call.callSid)).join(', ') || 'nobody'} still in ${who(effect.params.conferenceSid)}?`;
    case 'endConference':
      return `${who(effect.params.conferenceSid)}: ${effect.params.reason}`;
  }
}
