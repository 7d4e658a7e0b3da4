import type { Recovery, RecoveryContext } from './context.ts';
import type { EffectParams, TaskKind } from './effects.ts';
import type { RecoveryEvent } from './events.ts';
import {
  customerTaskAttributes,
  originalTaskTag,
  pingTaskAttributes,
  readLifelineTag,
} from './attributes.ts';

/**
 * Builders of effect parameters, referenced by name from the statechart config. Every
 * effect carries a deterministic `key`, so running it twice is recognisably the same effect.
 */
type Args = { context: RecoveryContext; event: RecoveryEvent };

function recoveryOf(context: RecoveryContext): Recovery {
  if (context.recovery === null) throw new Error('statechart bug: effect outside a recovery');
  return context.recovery;
}

export const announceHoldParams = ({ context }: Args): EffectParams['announceHold'] => ({
  key: `${recoveryOf(context).id}:announce`,
  conferenceSid: context.conferenceSid,
});

export const holdCustomerParams = ({ context }: Args): EffectParams['holdCustomer'] => ({
  key: `${recoveryOf(context).id}:hold-customer`,
  conferenceSid: context.conferenceSid,
  callSid: context.customerCallSid ?? '',
});

export const tagOriginalTaskParams = ({ context }: Args): EffectParams['tagTask'] => {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:tag-original`,
    taskSid: recovery.taskSid,
    attributes: originalTaskTag(recovery),
  };
};

const pingKey = (recovery: Recovery) => `${recovery.id}:ping`;

export const createPingTaskParams = ({ context }: Args): EffectParams['createPingTask'] => {
  const recovery = recoveryOf(context);
  return {
    key: pingKey(recovery),
    recoveryId: recovery.id,
    workerSid: recovery.workerSid,
    attributes: pingTaskAttributes(context, recovery),
    priority: context.config.pingPriority,
    timeoutS: context.config.pingTtlS,
  };
};

export const completePingTaskParams = ({ context }: Args): EffectParams['completeTask'] => {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:complete-ping`,
    taskSid: recovery.pingTaskSid ?? '',
    reason: 'Recovery Ping answered',
  };
};

export const enqueueReconnectParams = ({ context }: Args): EffectParams['enqueueCustomer'] =>
  enqueueParams(context, 'reconnect');

export function enqueueParams(
  context: RecoveryContext,
  kind: 'reconnect' | 'escalation',
): EffectParams['enqueueCustomer'] {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:enqueue-${kind}`,
    recoveryId: recovery.id,
    kind,
    callSid: context.customerCallSid ?? '',
    workflowSid: recovery.workflowSid,
    priority: context.config.reconnectPriority,
    attributes: customerTaskAttributes(context, recovery, kind),
  };
}

export function retargetParams(context: RecoveryContext): EffectParams['retargetTask'] {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:retarget`,
    recoveryId: recovery.id,
    kind: recovery.customerTaskKind ?? 'reconnect',
    taskSid: recovery.customerTaskSid,
    removeAttributes: ['targetWorkerSid'],
    setAttributes: { escalated: true },
    priority: context.config.reconnectPriority,
  };
}

export const completeOriginalReservationParams = ({
  context,
}: Args): EffectParams['completeReservation'] => {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:complete-reservation`,
    taskSid: recovery.taskSid,
    reservationSid: recovery.reservationSid,
  };
};

/** Cancels (or, accepted already, completes) a second ping task of the recovery. */
export function extraPingCancelParams(
  context: RecoveryContext,
  taskSid: string,
): EffectParams['cancelTask'] {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:cancel-extra-ping:${taskSid}`,
    recoveryId: recovery.id,
    kind: 'ping',
    taskSid,
    reason: 'Duplicate Recovery Ping',
    createdBy: null,
  };
}

export function cancelParams(
  context: RecoveryContext,
  kind: TaskKind,
  reason: string,
): EffectParams['cancelTask'] {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:cancel-${kind}`,
    recoveryId: recovery.id,
    kind,
    taskSid: kind === 'ping' ? recovery.pingTaskSid : recovery.customerTaskSid,
    reason,
    createdBy: kind === 'ping' && recovery.pingTaskSid === null ? pingKey(recovery) : null,
  };
}

/** Why the recovery (or the call) ends, in words for task reasons and the timeline. */
export function endingReason(event: RecoveryEvent): string {
  switch (event.type) {
    case 'agent.hungUp':
      return 'Agent hung up';
    case 'conference.ended':
      return 'Conference ended';
    case 'participant.left':
      return event.reason === 'participant_hung_up' || event.reason === null
        ? 'Customer hung up'
        : `Customer left (${event.reason})`;
    default:
      return 'Customer hung up';
  }
}

export const endConferenceForEvent = ({ context, event }: Args): EffectParams['endConference'] => ({
  key: `${context.recovery?.id ?? context.conferenceSid}:end-conference`,
  conferenceSid: context.conferenceSid,
  reason: endingReason(event),
});

export function keepParams(
  context: RecoveryContext,
  callSid: string,
  why: string,
): EffectParams['keepInConference'] {
  return {
    key: `${context.conferenceSid}:keep:${callSid}:${why}`,
    conferenceSid: context.conferenceSid,
    callSid,
  };
}

export function moveParams(
  context: RecoveryContext,
  callSid: string,
): EffectParams['moveParticipant'] {
  const recovery = recoveryOf(context);
  const party = recovery.parties[callSid];
  return {
    key: `${recovery.id}:move:${callSid}`,
    recoveryId: recovery.id,
    callSid,
    conferenceName: recovery.newConferenceName ?? '',
    label: party?.label ?? null,
    endConferenceOnExit: party?.endConferenceOnExit ?? false,
    muted: party?.muted === true,
  };
}

export const collectRedialJoinsParams = ({ context }: Args): EffectParams['collectRedialJoins'] => {
  const recovery = recoveryOf(context);
  return {
    // Per new conference (a requeue after a stranded accept re-dials into another one), and
    // once more when the re-dial resumes after Twilio found the customer there: a key already
    // run would never report again.
    key: `${recovery.id}:collect-redial:${recovery.newConferenceName ?? ''}${
      recovery.customerInNewConference ? ':resumed' : ''
    }`,
    recoveryId: recovery.id,
    conferenceName: recovery.newConferenceName ?? '',
  };
};

export const locateCustomerParams = ({ context }: Args): EffectParams['locateCustomer'] => {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:locate:${recovery.newConferenceName ?? ''}`,
    recoveryId: recovery.id,
    conferenceName: recovery.newConferenceName ?? '',
    customerCallSid: context.customerCallSid ?? '',
  };
};

/**
 * The accepted customer task whose agent never reached the customer: it stays assigned to a
 * worker without a call unless it is closed.
 */
export const completeStrandedTaskParams = ({ context }: Args): EffectParams['completeTask'] => {
  const recovery = recoveryOf(context);
  return {
    key: `${recovery.id}:complete-stranded:${recovery.customerTaskSid ?? ''}`,
    taskSid: recovery.customerTaskSid ?? '',
    reason: "The agent's call never reached the customer: queued again",
  };
};

/** The customer queued again after a stranded accept: a distinct enqueue per requeue. */
export const enqueueAfterStrandedParams = ({ context }: Args): EffectParams['enqueueCustomer'] => {
  const params = enqueueParams(context, 'escalation');
  return { ...params, key: `${params.key}:${recoveryOf(context).requeues}` };
};

export function holdPartyParams(
  context: RecoveryContext,
  conferenceSid: string,
  callSid: string,
): EffectParams['holdParty'] {
  return {
    key: `${recoveryOf(context).id}:hold:${callSid}`,
    conferenceSid,
    callSid,
  };
}

/** Ends the old conference when the re-dial gives up on parties still in it. */
export const endOldConferenceParams = ({ context }: Args): EffectParams['endConference'] => ({
  key: `${recoveryOf(context).id}:end-old-conference`,
  conferenceSid: context.conferenceSid,
  reason: 'Re-dial gave up: nobody to join the parties left in it',
});

/**
 * Ends the conference the re-dial was building when the customer's call is gone: whoever
 * accepted is already in it, alone, on a task that would otherwise stay assigned. Ending it
 * is what plain Flex does when the customer hangs up: the agent's task goes to wrapping.
 * Null when no such conference was seen (nobody joined it, so nobody waits in it).
 */
export function endNewConferenceParams(
  context: RecoveryContext,
): EffectParams['endConference'] | null {
  const recovery = context.recovery;
  if (recovery === null || recovery.newConferenceSid === null) return null;
  if (recovery.newConferenceSid === context.conferenceSid) return null;
  return {
    key: `${recovery.id}:end-new-conference:${recovery.newConferenceSid}`,
    conferenceSid: recovery.newConferenceSid,
    reason: 'Customer hung up before the re-dial came together',
  };
}

/**
 * The Enqueue that puts a customer back in the queue after a requeue (customer.dequeued):
 * the server answers the Enqueue's action callback with it. Its key names the requeue, so
 * each one is a distinct enqueue.
 */
export function requeueParams(context: RecoveryContext): EffectParams['enqueueCustomer'] | null {
  const recovery = context.recovery;
  if (recovery === null || recovery.customerTaskKind !== 'escalation' || recovery.requeues === 0) {
    return null;
  }
  const params = enqueueParams(context, 'escalation');
  return { ...params, key: `${params.key}:${recovery.requeues}` };
}

/**
 * The calls believed present, the customer first, each with the SequenceNumber last applied
 * for it; one reconcile per request round.
 */
export const reconcileParams = ({ context, event }: Args): EffectParams['reconcileConference'] => {
  const participants = Object.values(context.participants);
  const present = participants
    .filter((p) => p.present)
    .sort(
      (a, b) =>
        Number(b.callSid === context.customerCallSid) -
        Number(a.callSid === context.customerCallSid),
    )
    .map((p) => ({
      callSid: p.callSid,
      seq: p.seq,
      label: p.label,
      endConferenceOnExit: p.endConferenceOnExit,
      hold: p.hold,
    }));
  const round = event.type === 'reconcile.requested' ? event.round : 0;
  return {
    key: `${context.conferenceSid}:reconcile:${round}`,
    conferenceSid: context.conferenceSid,
    calls: present,
    highestSeq: participants.reduce((highest, p) => Math.max(highest, p.seq), 0),
  };
};

export const lookupCallParams = ({ context, event }: Args): EffectParams['lookupCall'] => ({
  // Once per conference: a redelivered first callback finds the key already queued or done.
  key: `${context.conferenceSid}:lookup`,
  conferenceSid: context.conferenceSid,
  taskSid: event.type === 'conference.discovered' ? (event.friendlyName ?? '') : '',
});

/**
 * The reservation of this conference's own task when that task is one a recovery queued the
 * customer on (reconnect or escalation): a conference of such a task that ends under the
 * customer leaves the task wrapping while its Enqueue's action callback queues the customer
 * again, so Lifeline closes it as it closes the original call's. Null for any other call,
 * whose wrapping task stays the agent's, as in Flex.
 */
export function lostCustomerTaskParams(
  context: RecoveryContext,
): EffectParams['completeReservation'] | null {
  const tag = readLifelineTag(context.taskAttributes);
  if (tag === null || tag.kind === 'ping') return null;
  const own = context.recovery ?? Object.values(context.agents)[0];
  if (own === undefined) return null;
  return {
    key: `${context.conferenceSid}:complete-lost:${own.taskSid}`,
    taskSid: own.taskSid,
    reservationSid: own.reservationSid,
  };
}
