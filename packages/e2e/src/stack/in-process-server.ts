import type { FastifyInstance } from 'fastify';
import { createServer, loadConfig } from '@lifeline/server';

export interface InProcessServerOptions {
  env: Record<string, string>;
  /** Effect runner and timer loop tuning; production defaults when omitted. */
  loops?: { baseDelayMs: number; maxDelayMs: number; idleMs: number; timerTickMs: number };
}

/** A Lifeline server built by the server's own factory (as main.ts builds it), in this process. */
export interface InProcessServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly durable: boolean;
  close(): Promise<void>;
}

export async function startInProcessServer(
  options: InProcessServerOptions,
): Promise<InProcessServer> {
  const config = loadConfig(options.env);
  const loops = options.loops;
  const server = await createServer(config, {
    // Closing the stack must not wait for the simulator's keep-alive connections: a webhook
    // answered while closing leaves its connection idle for Fastify's 72 s keep-alive.
    fastify: { logger: false, forceCloseConnections: true },
    ...(loops === undefined
      ? {}
      : {
          runner: {
            baseDelayMs: loops.baseDelayMs,
            maxDelayMs: loops.maxDelayMs,
            idleMs: loops.idleMs,
          },
          timerTickMs: loops.timerTickMs,
        }),
  });
  await server.app.listen({ port: config.port, host: config.host });
  return {
    app: server.app,
    url: `http://${config.host}:${config.port}`,
    durable: server.durable,
    close: () => server.close(),
  };
}
