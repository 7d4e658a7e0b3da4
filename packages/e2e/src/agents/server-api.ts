import type { Beacon, FetchInit, FetchLike, FetchResponse } from 'plugin-lifeline/core';
import type { JsonObject, RealClock } from '@lifeline/simulator/model';
import { parseJsonObject, sendHttp } from '@lifeline/simulator/model';

/** One call the simulated plugin made to Lifeline's server. */
export interface ServerCall {
  at: number;
  method: string;
  /** The path on the server, e.g. `/api/v1/conferences/CF.../agents`. */
  path: string;
  body: JsonObject;
  status: number | null;
  error: string | null;
  response: string | null;
}

/**
 * The network under the simulated plugins: the plugin's own API client (`plugin-lifeline/core`)
 * decides what to call, when to retry and what to send; this carries it to Lifeline's server
 * (loopback only, like every request the simulator makes) and keeps a log tests can read.
 */
export class ServerApi {
  readonly calls: ServerCall[] = [];

  constructor(
    readonly serverUrl: string | null,
    private readonly clock: RealClock,
    private readonly timeoutMs: number,
  ) {}

  /** `fetch` for the plugin's API client; a network failure rejects, as fetch does. */
  readonly fetch: FetchLike = async (url: string, init: FetchInit): Promise<FetchResponse> => {
    const call = await this.send(url, init.method, init.headers, init.body ?? null);
    if (call.status === null) throw new TypeError(`fetch failed: ${call.error ?? 'no answer'}`);
    const text = call.response ?? '';
    return {
      status: call.status,
      json: async () => JSON.parse(text) as unknown,
    };
  };

  /**
   * navigator.sendBeacon on pagehide: one attempt, and no headers of the page's choosing, so a
   * string body goes as text/plain (the plugin puts the token in it).
   */
  async beacon(beacon: Beacon): Promise<ServerCall> {
    return this.send(
      beacon.url,
      'POST',
      { 'Content-Type': 'text/plain;charset=UTF-8' },
      beacon.body,
    );
  }

  private async send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | null,
  ): Promise<ServerCall> {
    const result = await sendHttp({
      method: method === 'GET' ? 'GET' : 'POST',
      url,
      headers,
      body,
      timeoutMs: this.timeoutMs,
    });
    const call: ServerCall = {
      at: this.clock.now(),
      method,
      path: this.pathOf(url),
      body: body === null ? {} : (parseJsonObject(body) ?? {}),
      status: result.status,
      error: result.error,
      response: result.responseBody,
    };
    this.calls.push(call);
    return call;
  }

  private pathOf(url: string): string {
    try {
      const parsed = new URL(url);
      return parsed.pathname + parsed.search;
    } catch {
      return url;
    }
  }
}
