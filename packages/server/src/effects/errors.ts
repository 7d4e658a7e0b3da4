/** How a failed Twilio call is handled by the effect runner. */
type FailureClass = 'retry' | 'permanent';

interface RestLikeError {
  status?: number;
  code?: number | string;
  message?: string;
}

function asRest(error: unknown): RestLikeError {
  return typeof error === 'object' && error !== null ? (error as RestLikeError) : {};
}

function statusOf(error: unknown): number | null {
  const status = asRest(error).status;
  return typeof status === 'number' ? status : null;
}

function twilioCode(error: unknown): number | null {
  const code = asRest(error).code;
  return typeof code === 'number' ? code : null;
}

/**
 * 429 (concurrency limit), 5xx, timeouts and network errors are worth retrying; 412 is an
 * ETag race on a task update, also retried. Any other 4xx will not get better by waiting.
 */
export function classify(error: unknown): FailureClass {
  const status = statusOf(error);
  if (status === null) return 'retry';
  if (status === 429 || status === 412 || status >= 500) return 'retry';
  return 'permanent';
}

/** Failures that happen before a request leaves this host: Twilio never saw it. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Whether a failed request may still have been carried out by Twilio: it was sent and no
 * answer came (a timeout, a connection reset). An HTTP answer is Twilio's decision, and an
 * error before connecting means nothing was sent.
 */
export function mayHaveReachedTwilio(error: unknown): boolean {
  if (statusOf(error) !== null) return false;
  const code = asRest(error).code;
  return !(typeof code === 'string' && NOT_SENT_CODES.has(code));
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** Twilio's "Call is not in-progress. Cannot redirect." and friends: the call has ended. */
export function isCallGone(error: unknown): boolean {
  return isNotFound(error) || twilioCode(error) === 21220;
}

export function describeError(error: unknown): string {
  const rest = asRest(error);
  const status = statusOf(error);
  const code = twilioCode(error);
  const parts = [status === null ? null : `HTTP ${status}`, code === null ? null : `code ${code}`];
  return [parts.filter(Boolean).join(' '), rest.message ?? String(error)]
    .filter(Boolean)
    .join(': ');
}

/**
 * A task update decided on a status Twilio has since moved past (a reservation accepted
 * between our fetch and our cancel) answers 400 "Cannot cancel task because it is not pending
 * or reserved" (code 20001). `attempt` is run again, from a fresh fetch, a bounded number of
 * times; any other error, or the same one every time, is thrown as it came.
 */
export async function onFreshStatus<T>(attempt: () => Promise<T>, times = 3): Promise<T> {
  for (let pass = 1; ; pass += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (statusOf(error) !== 400 || pass >= times) throw error;
    }
  }
}
