import type { Faults } from '../faults.ts';
import { isLoopbackHost } from '../options.ts';

export interface HttpAttempt {
  status: number | null;
  /** `ct` when the connection failed, `rt` when the receiver did not answer in time. */
  failure: 'ct' | 'rt' | null;
  error: string | null;
  responseBody: string | null;
}

export interface HttpRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
}

/** One HTTP request to a webhook receiver. Loopback only: the simulator never calls out. */
export async function sendHttp(request: HttpRequest): Promise<HttpAttempt> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { status: null, failure: 'ct', error: `bad URL ${request.url}`, responseBody: null };
  }
  if (!isLoopbackHost(url.hostname)) {
    return {
      status: null,
      failure: 'ct',
      error: `refused: ${url.hostname} is not a loopback address`,
      responseBody: null,
    };
  }
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === null ? {} : { body: request.body }),
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'manual',
    });
    const responseBody = await response.text();
    return { status: response.status, failure: null, error: null, responseBody };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return {
        status: null,
        failure: 'rt',
        error: `no answer within ${request.timeoutMs} ms`,
        responseBody: null,
      };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: null,
      failure: 'ct',
      error: cause === '' ? message : `${message}: ${cause}`,
      responseBody: null,
    };
  }
}

/** One webhook delivery attempt: a connection failure while the receiver is faulted down. */
export async function sendWebhook(faults: Faults, request: HttpRequest): Promise<HttpAttempt> {
  if (faults.isDown(request.url))
    return { status: null, failure: 'ct', error: 'receiver down (fault)', responseBody: null };
  return sendHttp(request);
}

/** Whether the receiver took the webhook (a 2xx answer). */
export function delivered(attempt: HttpAttempt): boolean {
  return attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
}
