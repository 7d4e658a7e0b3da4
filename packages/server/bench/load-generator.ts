/**
 * The load generator of `pnpm bench throughput`, in a process of its own: autocannon building
 * and parsing 10k+ requests a second costs about as much CPU as a small handler, and in the
 * server's process it would be counted (and scheduled) as the server's. Forked by
 * throughput.ts; it gets a `LoadOrder` over IPC and answers with a `LoadResult`.
 *
 * Signed callbacks are built here, before the clock starts, so neither process spends the
 * measured time on HMACs.
 */
import autocannon from 'autocannon';
import { signForm } from '../test/support/sign.ts';

export interface LoadOrder {
  url: string;
  connections: number;
  durationS: number;
  /** GET the url, or POST signed conference callbacks (signed for `signedUrl` with `auth`). */
  kind: 'get' | 'signed-callbacks';
  auth: string;
  signedUrl: string;
  conferences: number;
  pool: number;
}

export interface LoadResult {
  rps: number;
  p99Ms: number;
  non2xx: number;
  total: number;
}

const hex = (n: number) => n.toString(16).padStart(32, '0');

function signedCallbacks(order: LoadOrder): { body: string; signature: string }[] {
  return Array.from({ length: order.pool }, (_, i) => {
    const conference = (i % order.conferences) + 1;
    const seq = Math.floor(i / order.conferences) + 1;
    const params: Record<string, string> = {
      ConferenceSid: `CF${hex(conference)}`,
      AccountSid: `AC${hex(1)}`,
      SequenceNumber: String(seq),
      Timestamp: new Date().toUTCString(),
      StatusCallbackEvent: seq % 2 === 0 ? 'participant-unhold' : 'participant-hold',
      CallSid: `CA${hex(1)}`,
      Hold: seq % 2 === 0 ? 'false' : 'true',
      EndConferenceOnExit: 'false',
    };
    return {
      body: new URLSearchParams(params).toString(),
      signature: signForm(order.auth, order.signedUrl, params),
    };
  });
}

function requestsFor(order: LoadOrder): autocannon.Request[] {
  if (order.kind === 'get') return [{ method: 'GET' }];
  const callbacks = signedCallbacks(order);
  let next = 0;
  return [
    {
      method: 'POST',
      setupRequest: (request) => {
        const callback = callbacks[next % callbacks.length];
        next += 1;
        return {
          ...request,
          headers: {
            ...request.headers,
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': callback?.signature ?? '',
          },
          body: callback?.body ?? '',
        };
      },
    },
  ];
}

function load(order: LoadOrder): Promise<LoadResult> {
  const requests = requestsFor(order);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: order.url,
        connections: order.connections,
        duration: order.durationS,
        requests,
      },
      (error, result) => {
        if (error !== null && error !== undefined) return reject(error);
        resolve({
          rps: result.requests.average,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
          total: result.requests.total,
        });
      },
    );
  });
}

process.on('message', (order: LoadOrder) => {
  load(order).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
process.send?.({ ready: true });
