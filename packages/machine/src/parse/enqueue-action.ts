import type { CustomerDequeued } from '../events.ts';
import type { FormFields } from './payload-error.ts';
import { requiredString, sid } from './payload-error.ts';

/**
 * The Enqueue action callback (form fields) as a machine event. Twilio sends the caller's
 * CallSid and QueueResult; `at` is the adapter's clock (the callback carries no timestamp).
 */
export function parseEnqueueAction(fields: FormFields, at: number): CustomerDequeued {
  return {
    type: 'customer.dequeued',
    at,
    callSid: sid(requiredString(fields, 'CallSid'), 'CA', 'CallSid'),
    queueResult: requiredString(fields, 'QueueResult'),
  };
}
