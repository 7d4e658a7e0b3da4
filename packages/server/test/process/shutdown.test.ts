import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUIRED_ENV } from '../support/env.ts';
import { AGENT_TOKEN, WORKER } from '../support/payloads.ts';
import type { MainProcess } from './main-process.ts';
import { startMain } from './main-process.ts';

/**
 * A Twilio whose token validation answers only when the test says so: a plugin API request
 * waits on it in the server's onRequest hook, which makes it a request in flight on demand.
 */
async function slowTwilio() {
  const arrivals: (() => void)[] = [];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    if (request.url?.endsWith('/Tokens/validate')) {
      held.push(response);
      for (const notify of arrivals.splice(0)) notify();
      return;
    }
    response.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived: () =>
      new Promise<void>((resolve) => (held.length > 0 ? resolve() : arrivals.push(resolve))),
    release() {
      for (const response of held.splice(0)) {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ valid: true, worker_sid: WORKER, roles: ['agent'] }));
      }
    },
    async close() {
      for (const response of held.splice(0)) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Answer {
  status: number;
  body: string;
}

function get(url: string, options: http.RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, options, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** A keep-alive connection that has answered one request and now sits idle. */
async function idleConnection(url: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let closedAt: number | null = null;
  const closed = new Promise<void>((resolve) => {
    agent.once('free', (socket) => {
      socket.once('close', () => {
        closedAt = Date.now();
        resolve();
      });
    });
  });
  expect((await get(`${url}/healthz`, { agent })).status).toBe(200);
  return { closed, closedAt: () => closedAt, destroy: () => agent.destroy() };
}

// Each test starts a Node process that loads the server through tsx: seconds on a busy machine.
describe('main.ts on SIGTERM', () => {
  let twilio: Awaited<ReturnType<typeof slowTwilio>> | undefined;
  let main: MainProcess | undefined;
  afterEach(async () => {
    if (main !== undefined && main.child.exitCode === null) main.child.kill('SIGKILL');
    await main?.exited;
    await twilio?.close();
    main = undefined;
    twilio = undefined;
  });

  const recoveryOf = (server: MainProcess) =>
    get(`${server.url}/api/v1/workers/${WORKER}/recovery`, {
      // Keep-alive, as a browser's would be: the server must not wait for it to idle out.
      agent: new http.Agent({ keepAlive: true }),
      headers: { authorization: `Bearer ${AGENT_TOKEN}` },
    });

  it('finishes the request in flight, closes idle keep-alive connections at once, and exits 0', async () => {
    twilio = await slowTwilio();
    main = await startMain({
      ...REQUIRED_ENV,
      TWILIO_API_BASE_URL: twilio.url,
      SHUTDOWN_GRACE_S: '10',
    });
    const idle = await idleConnection(main.url);
    const inFlight = recoveryOf(main);
    await twilio.arrived();

    const signalled = Date.now();
    main.child.kill('SIGTERM');
    // The idle connection goes while the request is still waiting on Twilio.
    await idle.closed;
    const slow = 300;
    setTimeout(() => twilio?.release(), slow);
    const answer = await inFlight;
    const answeredAt = Date.now();
    const code = await main.exited;

    // Closed after the signal, while the request was still waiting on Twilio.
    expect(idle.closedAt()).toBeGreaterThanOrEqual(signalled);
    expect(idle.closedAt()).toBeLessThan(answeredAt);
    // Past authentication and through the handler: no recovery concerns this worker.
    expect(answer).toEqual({
      status: 404,
      body: JSON.stringify({ error: 'Not Found', message: 'no recovery concerns this worker' }),
    });
    // 0: everything finished within the 10 s grace (past it, the process exits 1).
    expect(code).toBe(0);
    idle.destroy();
  }, 40_000);

  it('cuts what is still open after SHUTDOWN_GRACE_S and exits 1', async () => {
    twilio = await slowTwilio();
    main = await startMain({
      ...REQUIRED_ENV,
      TWILIO_API_BASE_URL: twilio.url,
      SHUTDOWN_GRACE_S: '1',
    });
    const inFlight = recoveryOf(main);
    await twilio.arrived();

    const signalled = Date.now();
    main.child.kill('SIGTERM');
    // Twilio never answers: the request is still in flight when the grace is over.
    await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/);
    const code = await main.exited;
    const tookMs = Date.now() - signalled;

    expect(code).toBe(1);
    expect(tookMs).toBeGreaterThanOrEqual(1_000);
    expect(tookMs).toBeLessThan(4_000);
    expect(main.output()).toContain('shutdown grace over');
  }, 40_000);
});
