import type { RealClock } from '../clock.ts';
import type { JsonObject } from '../json.ts';
import { sendHttp } from '../webhooks/http-post.ts';

/** One call the simulated plugin made to Lifeline's server. */
export interface ServerCall {
  at: number;
  path: string;
  body: JsonObject;
  status: number | null;
  error: string | null;
  response: string | null;
}

/**
 * The plugin's calls to Lifeline's server API (`/api/v1/conferences/...`), authenticated with
 * the agent's Flex token as a Bearer token. A failed call is retried a few times, as a
 * browser plugin would, then given up (and left in the log for tests to see).
 */
export class ServerApi {
  readonly calls: ServerCall[] = [];

  constructor(
    private readonly serverUrl: string | null,
    private readonly clock: RealClock,
    private readonly timeoutMs: number,
  ) {}

  async post(
    path: string,
    token: string,
    body: JsonObject,
    attempts = 3,
  ): Promise<ServerCall | null> {
    if (this.serverUrl === null) return null;
    let last: ServerCall | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const result = await sendHttp({
        method: 'POST',
        url: `${this.serverUrl}${path}`,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        timeoutMs: this.timeoutMs,
      });
      last = {
        at: this.clock.now(),
        path,
        body,
        status: result.status,
        error: result.error,
        response: result.responseBody,
      };
      this.calls.push(last);
      const retriable = result.status === null || result.status >= 500 || result.status === 429;
      if (!retriable) return last;
      await this.clock.sleep(50 * 2 ** attempt);
    }
    return last;
  }

  /**
   * navigator.sendBeacon on pagehide: one attempt, no headers of our choosing, so the token
   * travels in the body (as text holding JSON, which is what sendBeacon with a string sends).
   */
  async beacon(path: string, token: string): Promise<ServerCall | null> {
    if (this.serverUrl === null) return null;
    const body = { token };
    const result = await sendHttp({
      method: 'POST',
      url: `${this.serverUrl}${path}`,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(body),
      timeoutMs: this.timeoutMs,
    });
    const call: ServerCall = {
      at: this.clock.now(),
      path,
      body,
      status: result.status,
      error: result.error,
      response: result.responseBody,
    };
    this.calls.push(call);
    return call;
  }
}

export const serverPaths = {
  unload: (conferenceSid: string, workerSid: string) =>
    `/api/v1/conferences/${conferenceSid}/agents/${workerSid}/unload`,
  register: (conferenceSid: string) => `/api/v1/conferences/${conferenceSid}/agents`,
  hangup: (conferenceSid: string, workerSid: string) =>
    `/api/v1/conferences/${conferenceSid}/agents/${workerSid}/hangup`,
  transfer: (conferenceSid: string, workerSid: string) =>
    `/api/v1/conferences/${conferenceSid}/agents/${workerSid}/transfer`,
};
