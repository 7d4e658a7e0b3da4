import type { ParsedConferenceStatus } from '@lifeline/machine';
import { redialEventOf } from '@lifeline/machine';
import type { RecoveryStore } from '../store/types.ts';
import type { RecoveryEngine } from './engine.ts';

/**
 * A participant join or leave of any conference may be the arrival a re-dial waits for: it
 * is logged under the conference's name and, when a recovery waits for that name, delivered
 * to it as a redial.* event (see store/redial-log.ts for why both). The conference's own
 * recovery still gets the callback as usual, so a drop there is its own recovery.
 * Returns the conference it was forwarded to, or null.
 */
export async function forwardToRedial(
  store: RecoveryStore,
  engine: RecoveryEngine,
  parsed: ParsedConferenceStatus,
  /** A join read from Twilio has no callback identity of its own (recovery/missed-joins.ts). */
  dedupeId?: string,
): Promise<string | null> {
  if (parsed.friendlyName === null) return null;
  const event = redialEventOf(parsed.conferenceSid, parsed.event);
  if (event === null) return null;
  const waiting = await store.noteRedialCallback(parsed.friendlyName, JSON.stringify(event));
  if (waiting === null || waiting === parsed.conferenceSid) return null;
  await engine.dispatch({
    conferenceSid: waiting,
    event,
    source: 'redial',
    // The new conference's callback identity: a redelivery changes nothing.
    dedupeIds: [
      dedupeId ?? `rd:${parsed.conferenceSid}:${event.seq}:${parsed.statusCallbackEvent}`,
    ],
    note: `callback of ${parsed.conferenceSid}`,
  });
  return waiting;
}
