import type { JsonObject } from '../../json.ts';
import { isJsonObject, parseJsonObject } from '../../json.ts';
import type { Verb } from '../../twiml.ts';
import type { ConferenceCallback, ConferenceRecord, ReservationRecord } from '../records.ts';
import type { World } from '../world.ts';

/** The options of TaskRouter's conference instruction (what Flex passes as conferenceOptions). */
export interface ConferenceInstruction {
  from?: string | null;
  /** The worker's address; default: the worker's `contact_uri` attribute. */
  to?: string | null;
  conferenceStatusCallback?: string | null;
  conferenceStatusCallbackEvent?: string[];
  conferenceStatusCallbackMethod?: string;
  /** The worker leg's endConferenceOnExit. */
  endConferenceOnExit?: boolean;
  endConferenceOnCustomerExit?: boolean;
  startConferenceOnEnter?: boolean;
  workerLabel?: string | null;
  customerLabel?: string | null;
}

export interface ConferenceConnected {
  conferenceSid: string;
  workerCallSid: string;
  customerCallSid: string | null;
}

/**
 * The live conference a transfer task belongs to. Flex's transfers create a task for the
 * target that names the conference the call is in (`conference.sid`, or TaskRouter's
 * `conference_sid`); accepting it brings the target worker into that conference.
 */
function transferConference(world: World, attributes: JsonObject): ConferenceRecord | undefined {
  const nested = attributes['conference'];
  const sid =
    isJsonObject(nested) && typeof nested['sid'] === 'string'
      ? nested['sid']
      : attributes['conference_sid'];
  if (typeof sid !== 'string') return undefined;
  const conference = world.conferences.get(sid);
  return conference === undefined || conference.status === 'completed' ? undefined : conference;
}

/**
 * Accepts the reservation, dials the worker into a conference named by the task SID (as Flex
 * names them) and moves the customer's call into it: out of the queue when it waits there
 * (its <Enqueue> then ends when the conference does), or by new TwiML when it is elsewhere.
 * A transfer task's worker joins the transfer's conference instead, where the customer is.
 */
export function conferenceInstruction(
  world: World,
  reservation: ReservationRecord,
  instruction: ConferenceInstruction,
  onConnected: (connected: ConferenceConnected) => void = () => undefined,
): { workerCallSid: string } {
  const { taskrouter, calls, conferences } = world;
  const task = taskrouter.tasks.get(reservation.taskSid);
  const worker = taskrouter.workspace.workers.get(reservation.workerSid);
  if (task === undefined || worker === undefined)
    throw new Error('reservation without task or worker');
  taskrouter.reservations.accept(reservation);
  const attributes = parseJsonObject(task.attributes) ?? {};
  const transfer = transferConference(world, attributes);
  const workerAttributes = parseJsonObject(worker.attributes) ?? {};
  const contact =
    typeof workerAttributes['contact_uri'] === 'string' ? workerAttributes['contact_uri'] : null;
  const customerFrom = typeof attributes['from'] === 'string' ? attributes['from'] : 'anonymous';
  const leg = calls.create({
    from: instruction.from ?? customerFrom,
    to: instruction.to ?? contact ?? `client:${worker.friendlyName}`,
    direction: 'outbound-api',
    party: { kind: 'agent', workerSid: worker.sid, workerName: worker.friendlyName },
  });
  taskrouter.agentLegs.set(leg.sid, {
    callSid: leg.sid,
    taskSid: task.sid,
    reservationSid: reservation.sid,
    workerSid: worker.sid,
  });
  calls.ringing(leg);
  const callback: ConferenceCallback | null =
    instruction.conferenceStatusCallback == null
      ? null
      : {
          url: instruction.conferenceStatusCallback,
          method: instruction.conferenceStatusCallbackMethod ?? 'POST',
          events: instruction.conferenceStatusCallbackEvent ?? [],
        };
  const dial = (label: string | null, endConferenceOnExit: boolean): Verb => ({
    verb: 'Dial',
    conference: {
      name: transfer?.friendlyName ?? task.sid,
      label,
      endConferenceOnExit,
      startConferenceOnEnter: instruction.startConferenceOnEnter ?? true,
      muted: false,
      beep: null,
      coach: null,
      waitUrl: null,
      statusCallback: callback?.url ?? null,
      statusCallbackEvent: callback?.events ?? [],
      statusCallbackMethod: callback?.method ?? null,
    },
  });

  world.clock.after(world.draw('agent-ring', world.options.timing.agentRingMs), () => {
    if (!calls.isLive(leg)) return;
    calls.answer(leg);
    calls.run(leg, [
      dial(instruction.workerLabel ?? 'worker', instruction.endConferenceOnExit ?? false),
    ]);
    if (leg.place.kind !== 'conference') return;
    const conferenceSid = leg.place.conferenceSid;
    const customerSid =
      task.queuedCallSid ??
      (typeof attributes['call_sid'] === 'string' ? attributes['call_sid'] : null);
    const conference = conferences.get(conferenceSid);
    if (transfer !== undefined && conference !== undefined && conference.sid === transfer.sid) {
      // A transfer: the customer is already here.
      onConnected({ conferenceSid, workerCallSid: leg.sid, customerCallSid: customerSid });
      return;
    }
    // Flex's orchestration moves the customer in once the agent's leg is there: a few REST
    // round trips later, not at once.
    world.clock.after(world.draw('conference-join', world.options.timing.conferenceJoinMs), () =>
      bringCustomer(conferenceSid, customerSid),
    );
  });

  const bringCustomer = (conferenceSid: string, customerSid: string | null): void => {
    const customer = customerSid === null ? undefined : calls.get(customerSid);
    const conference = conferences.get(conferenceSid);
    if (
      customer === undefined ||
      !calls.isLive(customer) ||
      conference === undefined ||
      conference.status === 'completed'
    ) {
      onConnected({ conferenceSid, workerCallSid: leg.sid, customerCallSid: null });
      return;
    }
    const customerVerb = dial(
      instruction.customerLabel ?? 'customer',
      instruction.endConferenceOnCustomerExit ?? false,
    );
    if (customer.place.kind === 'queue' && customer.place.taskSid === task.sid) {
      // Bridged out of the queue: the call's <Enqueue> verb stays current until the conference lets it go.
      task.queuedCallSid = null;
      calls.bridgedFromQueue(customer, worker.friendlyName);
      if (customerVerb.verb === 'Dial') {
        conferences.join(conference, customer, {
          label: customerVerb.conference.label,
          endConferenceOnExit: customerVerb.conference.endConferenceOnExit,
          startConferenceOnEnter: customerVerb.conference.startConferenceOnEnter,
          muted: false,
          coaching: false,
          callSidToCoach: null,
          callback,
        });
      }
    } else {
      calls.redirect(customer, [customerVerb]);
    }
    onConnected({ conferenceSid, workerCallSid: leg.sid, customerCallSid: customer.sid });
  };
  return { workerCallSid: leg.sid };
}
