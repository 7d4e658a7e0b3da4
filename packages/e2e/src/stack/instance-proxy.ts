import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer, request, Agent } from 'node:http';
import { Rng } from '@lifeline/simulator';

/**
 * How the proxy picks a backend for each request: `round-robin` takes the next in turn (two
 * consecutive webhooks of one conference always land on different instances); `random` draws
 * from a seeded stream, so any instance may take any request, several in a row included.
 */
export type Spread = { kind: 'round-robin' } | { kind: 'random'; seed: number };

/** What the stack needs of a proxy, in the test's process or in its own (proxy-process.ts). */
export interface Proxy {
  /** Requests each backend took, in the order of the backends. */
  perBackend(): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of Lifeline instances, as a load balancer would be. Streams
 * (SSE) pass through as they come.
 */
export class InstanceProxy implements Proxy {
  /** Requests each backend took (for tests that check each was used). */
  private readonly taken: number[];
  private next = 0;
  private readonly rng: Rng | null;
  private server: Server | null = null;
  /** Kept-alive upstream connections: hundreds of calls would otherwise open one per request. */
  private readonly agent = new Agent({ keepAlive: true });

  constructor(
    private readonly backends: string[],
    spread: Spread = { kind: 'round-robin' },
  ) {
    if (backends.length === 0) throw new Error('the proxy needs a backend');
    this.taken = backends.map(() => 0);
    this.rng = spread.kind === 'random' ? new Rng(spread.seed) : null;
  }

  /** Listens on the given loopback port (0: any) and resolves to its origin. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => this.forward(req, res));
    // Idle client connections live as long as the instances' own (Fastify's 72 s): a client
    // told so by a passed-through header would otherwise reuse a socket closed after 5 s.
    server.keepAliveTimeout = 72_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host }, resolve);
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected address');
    return `http://${host}:${address.port}`;
  }

  /** Requests each backend took, in the order of the backends. */
  async perBackend(): Promise<number[]> {
    return [...this.taken];
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.agent.destroy();
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const backend =
      this.rng === null
        ? this.next % this.backends.length
        : this.rng.int(0, this.backends.length - 1);
    this.next += 1;
    this.taken[backend] = (this.taken[backend] ?? 0) + 1;
    const target = new URL(req.url ?? '/', this.backends[backend]);
    const upstream = request(
      target,
      { method: req.method, headers: req.headers, agent: this.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(upstream);
  }
}

/**
 * The answer's headers without the hop-by-hop ones: they describe the instance's connection
 * to the proxy (its keep-alive timeout), not the proxy's to the client.
 */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest;
}
