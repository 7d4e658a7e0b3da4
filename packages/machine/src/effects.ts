import type { JsonObject } from './json.ts';
import type { CustomerTaskKind } from './context.ts';

export type TaskKind = 'ping' | CustomerTaskKind;

/** A call the recovery believes is in the conference, as its last callback described it. */
export interface BelievedCall {
  callSid: string;
  /** SequenceNumber of the last callback applied for it. */
  seq: number;
  label: string | null;
  endConferenceOnExit: boolean;
  hold: boolean;
}

/**
 * Effects the statechart asks for. It only describes them; an adapter performs each one,
 * idempotently (keyed by `key`), and reports results back as events.
 */
export interface EffectParams {
  /**
   * Find the conference's task (its SID is the conference's name), its accepted reservation
   * and the customer's and agent's calls; answered with effect.callLookedUp or -Failed.
   */
  lookupCall: { key: string; conferenceSid: string; taskSid: string };
  /** Play the hold announcement to everyone still in the conference. */
  announceHold: { key: string; conferenceSid: string };
  /**
   * Keep the customer in the conference (endConferenceOnExit=false, set first: Twilio drops
   * the flag on a held participant), then hold them with the hold audio, so a customer who
   * is alone never hears silence.
   */
  holdCustomer: { key: string; conferenceSid: string; callSid: string };
  /** Set endConferenceOnExit=false on a participant, so its leaving never ends the call. */
  keepInConference: { key: string; conferenceSid: string; callSid: string };
  /** Merge attributes into the original task (Insights tagging). */
  tagTask: { key: string; taskSid: string; attributes: JsonObject };
  /** Create the Recovery Ping task for the disconnected worker. */
  createPingTask: {
    key: string;
    recoveryId: string;
    workerSid: string;
    attributes: JsonObject;
    priority: number;
    timeoutS: number;
  };
  /** Complete the accepted ping task so it never lingers in the agent's list. */
  completeTask: { key: string; taskSid: string; reason: string };
  /**
   * Cancel a pending task of this recovery. taskSid is null when its creation has not been
   * reported yet: the adapter finds it by recoveryId and kind.
   */
  cancelTask: {
    key: string;
    recoveryId: string;
    kind: TaskKind;
    taskSid: string | null;
    reason: string;
    /**
     * The effect creating the task, when its result is not known yet: effects run side by
     * side, so the cancel waits for it rather than find nothing and let the task appear after.
     */
    createdBy: string | null;
  };
  /**
   * Let any agent take the waiting customer: drop targetWorkerSid from the queued task and
   * raise its priority. Done on the task, not the call, so a call already bridged is never moved.
   */
  retargetTask: {
    key: string;
    recoveryId: string;
    kind: CustomerTaskKind;
    taskSid: string | null;
    removeAttributes: string[];
    setAttributes: JsonObject;
    priority: number;
  };
  /** Put the customer's live call in a TaskRouter queue (TwiML Enqueue with a Task). */
  enqueueCustomer: {
    key: string;
    recoveryId: string;
    kind: CustomerTaskKind;
    callSid: string;
    workflowSid: string;
    priority: number;
    attributes: JsonObject;
  };
  /** Complete the original reservation if it is still wrapping, which frees the agent's voice capacity. */
  completeReservation: { key: string; taskSid: string; reservationSid: string };
  /** Move a live call into the new conference (TwiML Dial Conference). */
  moveParticipant: {
    key: string;
    recoveryId: string;
    callSid: string;
    conferenceName: string;
    label: string | null;
    endConferenceOnExit: boolean;
    /** Joins muted: a party that was muted stays muted. */
    muted: boolean;
  };
  /**
   * Read back the new conference's callbacks that arrived before this recovery knew the new
   * conference (the server keeps them by conference name); answered with redial.* events.
   */
  collectRedialJoins: { key: string; recoveryId: string; conferenceName: string };
  /**
   * Ask Twilio where the customer is when their join in the new conference was not seen in
   * time; answered with effect.customerLocated or effect.customerCallGone.
   */
  locateCustomer: {
    key: string;
    recoveryId: string;
    conferenceName: string;
    customerCallSid: string;
  };
  /** Hold a party that was held in the old conference, now that it joined the new one. */
  holdParty: { key: string; conferenceSid: string; callSid: string };
  /**
   * Compare the calls believed present (the customer first, so a customer gone too ends the
   * call rather than start a recovery) with the conference's participants at Twilio; answered
   * with the callbacks that were lost: participant.left for each call missing (SequenceNumber
   * after `highestSeq`), or conference.ended when the conference is over.
   */
  reconcileConference: {
    key: string;
    conferenceSid: string;
    calls: BelievedCall[];
    highestSeq: number;
  };
  /** End the conference explicitly (Status=completed). */
  endConference: { key: string; conferenceSid: string; reason: string };
}

export type EffectType = keyof EffectParams;
export type Effect = { [K in EffectType]: { type: K; params: EffectParams[K] } }[EffectType];

export const effectTypes: readonly EffectType[] = [
  'lookupCall',
  'announceHold',
  'holdCustomer',
  'keepInConference',
  'tagTask',
  'createPingTask',
  'completeTask',
  'cancelTask',
  'retargetTask',
  'enqueueCustomer',
  'completeReservation',
  'moveParticipant',
  'collectRedialJoins',
  'locateCustomer',
  'holdParty',
  'reconcileConference',
  'endConference',
];

const effectTypeSet: ReadonlySet<string> = new Set(effectTypes);

/** Asked of every action step() collects. */
export function isEffectType(type: string): type is EffectType {
  return effectTypeSet.has(type);
}
