/**
 * Starts the Lifeline server from environment variables: loads the configuration (exit 2
 * listing every problem), builds the server with createServer, listens, and shuts down on
 * SIGTERM/SIGINT within SHUTDOWN_GRACE_S.
 */
import { ConfigError, loadConfig } from './config.ts';
import type { ServerConfig } from './config.ts';
import { createServer } from './server.ts';
import type { LifelineServer } from './server.ts';

function configOrExit(): ServerConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee README.md (Configuration) and .env.example.\n`);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * Stop taking new work and finish what is in flight: Fastify stops accepting connections,
 * closes idle keep-alive ones at once (forceCloseConnections: 'idle'), answers requests that
 * arrive meanwhile with 503 and Connection: close; the effect runner and timer loop finish
 * their work, then the store closes. Whatever is still open after the grace is cut.
 */
function handleSignals(server: LifelineServer, graceS: number): void {
  const { app } = server;
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, graceS }, 'shutting down: finishing in-flight work');
    const deadline = setTimeout(() => {
      app.log.warn({ graceS }, 'shutdown grace over: closing the connections still open');
      app.server.closeAllConnections();
      process.exit(1);
    }, graceS * 1000);
    server
      .close()
      .then(() => {
        clearTimeout(deadline);
        app.log.info('shut down');
        process.exit(0);
      })
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  // once: a second signal gets the default action and ends the process at once.
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

async function main(): Promise<void> {
  const config = configOrExit();
  const server = await createServer(config);
  handleSignals(server, config.shutdownGraceS);
  await server.app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `lifeline: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
