import type { Twilio } from 'twilio';
import { isLiveCallStatus } from '@lifeline/machine';
import { isNotFound } from './errors.ts';

/** Where the customer of a re-dial is, as Twilio tells (the locateCustomer effect). */
export type Whereabouts =
  /** The call ended: nobody to reconnect. */
  | { kind: 'gone'; status: string }
  /** Connected in a live conference with the awaited name: its callbacks were lost. */
  | { kind: 'new-conference'; conferenceSid: string }
  /** On the line but not there: still queued on a task whose agent never connected. */
  | { kind: 'elsewhere' };

/**
 * Asks Twilio where the customer is. The call first: a call that ended is gone whatever a
 * conference's participant list still shows for a moment. Then every live conference with
 * the awaited FriendlyName (Flex names it after the accepted task), through its participant
 * list. A 404 is an answer (that call or conference is gone); anything else thrown is for the
 * effect runner to classify (429/5xx retried, see errors.ts).
 */
export async function customerWhereabouts(
  client: Twilio,
  accountSid: string,
  conferenceName: string,
  customerCallSid: string,
): Promise<Whereabouts> {
  const api = client.api.v2010.accounts(accountSid);
  try {
    const call = await api.calls(customerCallSid).fetch();
    if (!isLiveCallStatus(call.status)) return { kind: 'gone', status: call.status };
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return { kind: 'gone', status: 'not found' };
  }
  const found = await participantIn(
    client,
    accountSid,
    conferenceName,
    customerCallSid,
    (status) => status === 'connected',
  );
  return found !== null
    ? { kind: 'new-conference', conferenceSid: found.conferenceSid }
    : { kind: 'elsewhere' };
}

/**
 * The call as a participant of a live conference with that FriendlyName (Flex names it after
 * the accepted task), in a status `wanted` accepts, through each one's participant list; null
 * when it is in none.
 */
export async function participantIn(
  client: Twilio,
  accountSid: string,
  conferenceName: string,
  callSid: string,
  wanted: (status: string) => boolean = () => true,
): Promise<{ conferenceSid: string; status: string } | null> {
  const api = client.api.v2010.accounts(accountSid);
  const conferences = await api.conferences.list({
    friendlyName: conferenceName,
    status: 'in-progress',
    limit: 20,
  });
  for (const conference of conferences) {
    try {
      const participants = await api.conferences(conference.sid).participants.list({ limit: 50 });
      const participant = participants.find((p) => p.callSid === callSid);
      if (participant !== undefined && wanted(participant.status)) {
        return { conferenceSid: conference.sid, status: participant.status };
      }
    } catch (error) {
      // Ended between the two reads: the call is not there.
      if (!isNotFound(error)) throw error;
    }
  }
  return null;
}
