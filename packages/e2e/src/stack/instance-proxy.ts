import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer, request } from 'node:http';

/**
 * A loopback HTTP proxy that sends each request to the next backend in turn: two Lifeline
 * instances behind a load balancer, with consecutive webhooks of one conference landing on
 * different instances. Streams (SSE) pass through as they come.
 */
export class RoundRobinProxy {
  /** Which backend took each request, in order (for tests that check both were used). */
  readonly routed: { path: string; backend: number }[] = [];
  private next = 0;
  private server: Server | null = null;

  constructor(private readonly backends: string[]) {
    if (backends.length === 0) throw new Error('the proxy needs a backend');
  }

  /** Listens on the given loopback port (0: any) and resolves to its origin. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => this.forward(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host }, resolve);
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected address');
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const backend = this.next % this.backends.length;
    this.next += 1;
    this.routed.push({ path: req.url ?? '/', backend });
    const target = new URL(req.url ?? '/', this.backends[backend]);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(upstream);
  }
}
