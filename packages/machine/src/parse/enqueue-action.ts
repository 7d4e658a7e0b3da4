import type { CustomerDequeued } from '../events.ts';
import type { FormFields } from './payload-error.ts';
import { optionalString, requiredString, sid } from './payload-error.ts';

/**
 * The Enqueue action callback (form fields) as a machine event. Twilio sends the caller's
 * CallSid, QueueResult and CallStatus; `at` is the adapter's clock (the callback carries no timestamp).
 */
export function parseEnqueueAction(fields: FormFields, at: number): CustomerDequeued {
  return {
    type: 'customer.dequeued',
    at,
    callSid: sid(requiredString(fields, 'CallSid'), 'CA', 'CallSid'),
    queueResult: requiredString(fields, 'QueueResult'),
    callStatus: optionalString(fields, 'CallStatus'),
    // What ended a bridged conference is not in the request: the adapter adds it.
    bridgeEnd: null,
  };
}
