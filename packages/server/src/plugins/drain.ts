import fp from 'fastify-plugin';

/**
 * Once the app is closing, every response says Connection: close, so a keep-alive connection
 * whose request was in flight when shutdown began ends with that response instead of idling
 * until the grace runs out. (Connections already idle are closed by Fastify's
 * forceCloseConnections: 'idle'; requests that arrive meanwhile get 503.)
 */
export const drainPlugin = fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close');
    });
  },
  { name: 'lifeline-drain', fastify: '5.x' },
);
