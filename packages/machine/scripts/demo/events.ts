import type { JsonObject, LifelineTag, RecoveryEvent } from '../../src/index.ts';
import { T0, cast, sid } from './cast.ts';

/**
 * Builders for the events adapters would feed the statechart, timed in seconds after T0.
 * Conference callbacks carry a SequenceNumber, so a script numbers them itself; each
 * scenario makes its own script and shares no counter with another.
 */
export type EventAt<E extends RecoveryEvent['type']> = Extract<RecoveryEvent, { type: E }>;

const at = (seconds: number) => T0 + Math.round(seconds * 1000);

export const tagOf = (recoveryId: string, kind: LifelineTag['kind']): LifelineTag => ({
  conferenceSid: cast.conference,
  recoveryId,
  kind,
});

const attributesOf = (tag: LifelineTag, extra: JsonObject = {}): JsonObject => ({
  ...extra,
  lifeline: { ...tag },
});

export function createScript() {
  let seq = 0;
  const participant = (seconds: number, callSid: string, label: string | null, eoe: boolean) => ({
    at: at(seconds),
    seq: ++seq,
    callSid,
    label,
    endConferenceOnExit: eoe,
    hold: false,
  });
  return {
    registered: (seconds: number): EventAt<'agent.registered'> => ({
      type: 'agent.registered',
      at: at(seconds),
      taskSid: cast.originalTask,
      workflowSid: cast.workflow,
      taskAttributes: {
        from: '+15550100123',
        conversations: { conversation_id: cast.originalTask },
      },
      customerCallSid: cast.customer,
      workerSid: cast.alice.workerSid,
      reservationSid: cast.originalReservation,
      workerCallSid: cast.aliceCall,
      workerName: cast.alice.name,
    }),
    joined: (
      seconds: number,
      callSid: string,
      label: string,
      eoe = false,
    ): EventAt<'participant.joined'> => ({
      type: 'participant.joined',
      ...participant(seconds, callSid, label, eoe),
    }),
    left: (seconds: number, callSid: string, reason: string): EventAt<'participant.left'> => ({
      type: 'participant.left',
      ...participant(seconds, callSid, null, false),
      reason,
    }),
    conferenceEnded: (seconds: number, reason: string): EventAt<'conference.ended'> => ({
      type: 'conference.ended',
      at: at(seconds),
      seq: ++seq,
      reason,
    }),
    pageUnloaded: (seconds: number, workerSid: string): EventAt<'agent.pageUnloaded'> => ({
      type: 'agent.pageUnloaded',
      at: at(seconds),
      workerSid,
    }),
    pingTaskCreated: (seconds: number, recoveryId: string): EventAt<'effect.pingTaskCreated'> => ({
      type: 'effect.pingTaskCreated',
      at: at(seconds),
      recoveryId,
      taskSid: cast.pingTask,
    }),
    taskCreated: (seconds: number, taskSid: string, tag: LifelineTag): EventAt<'task.created'> => ({
      type: 'task.created',
      at: at(seconds),
      taskSid,
      attributes: attributesOf(tag),
      lifeline: tag,
    }),
    queueEntered: (
      seconds: number,
      taskSid: string,
      tag: LifelineTag,
    ): EventAt<'task.queueEntered'> => ({
      type: 'task.queueEntered',
      at: at(seconds),
      taskSid,
      attributes: attributesOf(tag),
      lifeline: tag,
      taskQueueSid: sid('WQ', 1),
    }),
    accepted: (
      seconds: number,
      taskSid: string,
      tag: LifelineTag,
      workerSid: string,
      reservationSid: string,
    ): EventAt<'reservation.accepted'> => ({
      type: 'reservation.accepted',
      at: at(seconds),
      taskSid,
      attributes: attributesOf(tag),
      lifeline: tag,
      reservationSid,
      workerSid,
    }),
    canceled: (
      seconds: number,
      taskSid: string,
      tag: LifelineTag,
      reason: string,
    ): EventAt<'task.canceled'> => ({
      type: 'task.canceled',
      at: at(seconds),
      taskSid,
      attributes: attributesOf(tag),
      lifeline: tag,
      reason,
    }),
    redialJoined: (seconds: number, callSid: string): EventAt<'redial.partyJoined'> => ({
      type: 'redial.partyJoined',
      at: at(seconds),
      conferenceSid: cast.newConference,
      seq: ++seq,
      callSid,
      hold: false,
    }),
    partyMoved: (
      seconds: number,
      recoveryId: string,
      callSid: string,
    ): EventAt<'effect.partyMoved'> => ({
      type: 'effect.partyMoved',
      at: at(seconds),
      recoveryId,
      callSid,
    }),
  };
}
