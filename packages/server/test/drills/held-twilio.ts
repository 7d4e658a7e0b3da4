/**
 * A Twilio REST stand-in for the fault drills: it notes when each request arrives and can hold
 * the first requests unanswered (the call an instance is in the middle of when it dies).
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  at: number;
  method: string;
  path: string;
}

export interface HeldTwilio {
  url: string;
  arrivals: Arrival[];
  /** Resolves once `count` requests have arrived. */
  arrived(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Holds the first `hold` mutating requests forever; answers the rest 200 with a small JSON
 * body, and every read at once with an empty list (not counted among the arrivals).
 */
export async function heldTwilio(hold: number): Promise<HeldTwilio> {
  const arrivals: Arrival[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    // Reads are not the drill's subject: an instance's start-up sweep for missed joins
    // (recovery/missed-joins.ts) lists the live conferences, here none.
    if (request.method === 'GET') {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ conferences: [], participants: [], next_page_uri: null }));
      return;
    }
    arrivals.push({ at: Date.now(), method: request.method ?? '', path: request.url ?? '' });
    for (const waiter of waiters.filter((w) => arrivals.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (arrivals.length <= hold) {
      held.push(response);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ sid: 'CF00000000000000000000000000000000', status: 'in-progress' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    arrived: (count) =>
      new Promise<void>((resolve) =>
        arrivals.length >= count ? resolve() : waiters.push({ count, resolve }),
      ),
    async close() {
      for (const response of held.splice(0)) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
