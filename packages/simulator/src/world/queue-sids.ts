import { newSid } from '../sids.ts';

/**
 * The QU SIDs of the queues <Enqueue> puts calls in, minted on first use and kept, so every
 * call of one queue reports the same QueueSid. Inferred: TaskRouter's <Enqueue workflowSid>
 * holds its calls in a queue Twilio manages, one per workflow here; the docs
 * (https://www.twilio.com/docs/voice/twiml/enqueue) only say QueueSid is "the SID of the queue".
 */
export class QueueSids {
  private readonly sids = new Map<string, string>();

  /** The SID of the queue of a workflow (or of a named queue). */
  of(key: string): string {
    const known = this.sids.get(key);
    if (known !== undefined) return known;
    const sid = newSid('QU');
    this.sids.set(key, sid);
    return sid;
  }
}
