import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/**
 * A twilio-node HTTP client that sends every request to the simulator's origin, path
 * unchanged (`/2010-04-01/...`, `/v1/Workspaces/...`). Hand it to `twilio(sid, token,
 * { httpClient })` and the unchanged client talks to the simulator.
 */
export class SimulatorRequestClient extends twilio.RequestClient {
  constructor(
    private readonly origin: string,
    options: RequestClient.RequestClientOptions = {},
  ) {
    super({ timeout: 10_000, ...options });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const url = new URL(opts.uri);
    const target = new URL(url.pathname + url.search, this.origin);
    return super.request({ ...opts, uri: target.toString() });
  }
}

/** A twilio-node client talking to the simulator at `origin`. */
export function simulatorTwilioClient(
  origin: string,
  accountSid: string,
  authToken: string,
): twilio.Twilio {
  return twilio(accountSid, authToken, { httpClient: new SimulatorRequestClient(origin) });
}
