import type { BelievedCall, EffectParams, LeaveReason, RecoveryEvent } from '@lifeline/machine';
import { isLiveCallStatus } from '@lifeline/machine';
import type { Twilio } from 'twilio';
import { isNotFound } from './errors.ts';

/** What the reconcile reports: the lost callbacks, each with the delivery id it consumes. */
export interface ReconcileOutcome {
  events: RecoveryEvent[];
  detail: string;
  /** One per event: a replayed reconcile (a lapsed lease) changes nothing the second time. */
  dedupeIds: string[];
}

interface ReconcileContext {
  client: Twilio;
  accountSid: string;
  now: () => number;
}

/** Call statuses of a call still on the line (Twilio's Call resource). */
/** Participant statuses of a call no longer in the conference. */
const goneParticipantStatuses = new Set(['complete', 'completed', 'failed']);

/**
 * Why a call believed present is not in the conference, in the words of the conference's
 * ReasonParticipantLeft (the conference-status parser passes it through): a call still on the
 * line was taken out of the conference (redirected, moved), an ended call hung up.
 */
async function leaveReason(ctx: ReconcileContext, callSid: string): Promise<LeaveReason> {
  // A call Twilio no longer knows hung up long ago.
  return (await callStatus(ctx, callSid)) === 'live'
    ? 'participant_updated_via_api'
    : 'participant_hung_up';
}

/**
 * Compares the calls the recovery believes present with the conference at Twilio, and reports
 * what the callbacks lost with a dead instance would have said. Twilio unreachable throws, so
 * the runner retries with backoff.
 */
export async function reconcileConference(
  params: EffectParams['reconcileConference'],
  ctx: ReconcileContext,
): Promise<ReconcileOutcome> {
  const conferenceApi = ctx.client.api.v2010
    .accounts(ctx.accountSid)
    .conferences(params.conferenceSid);
  let status: string;
  try {
    status = (await conferenceApi.fetch()).status;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    status = 'unknown';
  }
  if (status === 'completed' || status === 'unknown') {
    // Over. A call believed present whose own call has ended hung up (its leave came before
    // the end, as its lost callback would have said: a customer's hang-up is an abandonment,
    // not the conference ending under them); the end is all there is to say of the others.
    const hungUp: BelievedCall[] = [];
    for (const call of params.calls) {
      if ((await callStatus(ctx, call.callSid)) === 'ended') hungUp.push(call);
    }
    const events: RecoveryEvent[] = hungUp.map((call, index) => ({
      ...leftFields(ctx, call, params.highestSeq + 1 + index),
      reason: 'participant_hung_up',
    }));
    // The customer's hang-up named as what ended the conference, as Twilio's own end would
    // (CallSidEndingConference): the leave above can reach the chart after a callback that
    // came while Twilio was being asked took its SequenceNumber, and is then ignored as old;
    // the end still says the customer left, an abandonment (scale-out run: a hang-up mid-ping
    // ended as conferenceEnded).
    const customer = hungUp.find((call) => call.label === 'customer');
    events.push({
      type: 'conference.ended',
      at: ctx.now(),
      seq: params.highestSeq + 1 + hungUp.length,
      reason: null,
      ...(customer === undefined ? {} : { callSidEnding: customer.callSid }),
    });
    return {
      detail: `conference ${status}${hungUp.length === 0 ? '' : `, ${hungUp.length} call(s) hung up before`}`,
      events,
      dedupeIds: [
        ...hungUp.map((call) => `${params.key}:left:${call.callSid}`),
        `${params.key}:ended`,
      ],
    };
  }
  const participants = await conferenceApi.participants.list({ limit: 250 });
  const inConference = new Set(
    participants.filter((p) => !goneParticipantStatuses.has(p.status)).map((p) => p.callSid),
  );
  const missing = params.calls.filter((call) => !inConference.has(call.callSid));
  const events: RecoveryEvent[] = [];
  for (const [index, call] of missing.entries()) {
    events.push(await leftEvent(ctx, call, params.highestSeq + 1 + index));
  }
  return {
    detail:
      missing.length === 0
        ? `all ${params.calls.length} call(s) still in the conference`
        : `${missing.length} call(s) left unseen: ${missing.map((c) => c.callSid).join(', ')}`,
    events,
    dedupeIds: missing.map((call) => `${params.key}:left:${call.callSid}`),
  };
}

function leftFields(ctx: ReconcileContext, call: BelievedCall, seq: number) {
  return {
    type: 'participant.left' as const,
    at: ctx.now(),
    // After every callback applied, so the machine takes it as the newest word on the call.
    seq,
    callSid: call.callSid,
    label: call.label,
    endConferenceOnExit: call.endConferenceOnExit,
    hold: call.hold,
  };
}

async function leftEvent(
  ctx: ReconcileContext,
  call: BelievedCall,
  seq: number,
): Promise<RecoveryEvent> {
  return { ...leftFields(ctx, call, seq), reason: await leaveReason(ctx, call.callSid) };
}

/** Whether Twilio knows the call and says it is over; unknown (404) says nothing. */
async function callStatus(
  ctx: ReconcileContext,
  callSid: string,
): Promise<'live' | 'ended' | 'unknown'> {
  try {
    const call = await ctx.client.api.v2010.accounts(ctx.accountSid).calls(callSid).fetch();
    return isLiveCallStatus(call.status) ? 'live' : 'ended';
  } catch (error) {
    if (isNotFound(error)) return 'unknown';
    throw error;
  }
}
