import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { opsGuard } from '../auth/ops-token.ts';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'The process is up',
        tags: ['ops'],
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async () => ({ ok: true }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Redis answers: the instance can take webhooks',
        tags: ['ops'],
        response: {
          200: Type.Object({ ok: Type.Boolean(), durable: Type.Boolean() }),
          503: Type.Object({ ok: Type.Boolean(), error: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      try {
        await app.lifeline.store.ping();
        return { ok: true, durable: app.lifeline.durable };
      } catch (error) {
        // The cause goes to the log only: its text can name hosts, ports and internals.
        request.log.warn({ err: error }, 'readiness: store unavailable');
        return reply.code(503).send({ ok: false, error: 'store unavailable' });
      }
    },
  );

  app.get(
    '/metrics',
    {
      onRequest: opsGuard(app.lifeline.config.opsToken),
      schema: {
        summary: 'Prometheus metrics (Bearer OPS_TOKEN when set)',
        tags: ['ops'],
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => {
      const { registry } = app.lifeline.metrics;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
};
