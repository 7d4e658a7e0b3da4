import Fastify, { LogController } from 'fastify';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { PayloadError, SnapshotVersionError } from '@lifeline/machine';
import { TooManyFailuresError } from './auth/failure-limiter.ts';
import { AuthError, ForbiddenError } from './auth/flex-auth.ts';
import { opsGuard } from './auth/ops-token.ts';
import { redactUrl } from './logging.ts';
import { drainPlugin } from './plugins/drain.ts';
import type { ServicesOptions } from './plugins/services.ts';
import { servicesPlugin } from './plugins/services.ts';
import { ConflictError } from './recovery/engine.ts';
import { apiRoutes } from './routes/api/index.ts';
import { healthRoutes } from './routes/health.ts';
import { ErrorBody } from './routes/schemas.ts';
import { twimlRoutes } from './routes/twiml.ts';
import { webhookRoutes } from './routes/webhooks/index.ts';
import { inspectRoutes } from './inspect/routes.ts';
import { TwilioUnavailableError } from './twilio/client.ts';

interface AppOptions extends ServicesOptions {
  fastify: FastifyServerOptions;
}

function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (first === undefined) return undefined;
  const missing = (first.params as { missingProperty?: string } | undefined)?.missingProperty;
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const where = error.validationContext ?? 'body';
  return [where, path, missing].filter((part) => part !== undefined && part !== '').join('.');
}

/**
 * Fastify's per-request lines at debug instead of info: at the production level a busy webhook
 * path then formats no log line at all (two lines per request cost more than a Redis round
 * trip). A request that fails still logs at error (here) or through the error handler.
 */
class QuietRequestLogs extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error !== null && error !== undefined) {
      reply.log.error(
        { res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
      return;
    }
    reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** The Fastify app on ready-made services; createServer (server.ts) is the only caller. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { fastify, ...services } = options;
  const app = Fastify({
    trustProxy: true,
    // On close, idle keep-alive connections go at once instead of holding shutdown up.
    forceCloseConnections: 'idle',
    // A body that never finishes is cut off (408) instead of holding a connection forever;
    // Node checks open requests against this every connectionsCheckingInterval.
    requestTimeout: 30_000,
    http: { connectionsCheckingInterval: 1_000 },
    logController: new QuietRequestLogs(),
    ...fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Node enforces requestTimeout only when the headers' own timeout is not longer.
  const { server } = app;
  if (server.requestTimeout > 0 && server.headersTimeout > server.requestTimeout) {
    server.headersTimeout = server.requestTimeout;
  }

  await app.register(servicesPlugin, services);
  await app.register(drainPlugin);

  app.addSchema(ErrorBody);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof PayloadError) {
      return reply
        .code(400)
        .send({ error: 'Bad Request', message: error.message, field: error.field });
    }
    if (error.validation) {
      const field = fieldOf(error);
      return reply.code(400).send({
        error: 'Bad Request',
        message: error.message,
        ...(field === undefined ? {} : { field }),
      });
    }
    if (error instanceof AuthError) {
      return reply.code(401).send({ error: 'Unauthorized', message: error.message });
    }
    if (error instanceof ForbiddenError) {
      return reply.code(403).send({ error: 'Forbidden', message: error.message });
    }
    if (error instanceof TooManyFailuresError) {
      request.log.warn({ ip: request.ip }, 'authentication failures over the limit');
      return reply
        .code(429)
        .header('retry-after', String(error.retryAfterS))
        .send({ error: 'Too Many Requests', message: error.message });
    }
    if (error instanceof TwilioUnavailableError) {
      request.log.warn({ err: error }, 'Twilio unavailable');
      return reply.code(503).send({ error: 'Unavailable', message: 'Twilio unavailable; retry' });
    }
    // Fastify's own client errors (invalid or empty JSON, media type, body size, bad URL):
    // the request can never succeed, so it gets its 4xx, logged below error level.
    const status = error.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      request.log.info({ code: error.code, status }, 'client error');
      return reply
        .code(status)
        .send({ error: error.code ?? 'Bad Request', message: error.message });
    }
    if (error instanceof ConflictError) {
      request.log.warn({ err: error.message }, 'busy conference');
      return reply.code(503).send({ error: 'Unavailable', message: 'conference busy; retry' });
    }
    if (error instanceof SnapshotVersionError) {
      request.log.error({ err: error.message }, 'snapshot version not readable');
      return reply.code(503).send({ error: 'Unavailable', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    // Store or Twilio trouble: 503 makes Twilio redeliver the webhook later.
    return reply.code(503).send({ error: 'Unavailable', message: 'temporarily unable to process' });
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Lifeline',
        description: 'Recovers Twilio Flex calls when the agent browser refreshes.',
        version: '0.1.0',
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiHooks: { onRequest: opsGuard(services.config.opsToken) },
  });

  // Fastify's own 404 logs the URL in full, ?token= included; this one never does.
  app.setNotFoundHandler(async (request, reply) => {
    request.log.info({ url: redactUrl(request.url) }, 'route not found');
    return reply.code(404).send({ error: 'Not Found', message: 'no such route' });
  });

  await app.register(healthRoutes);
  await app.register(twimlRoutes);
  await app.register(webhookRoutes);
  await app.register(apiRoutes, { prefix: '/api/v1', flexOrigin: services.config.flexOrigin });
  await app.register(inspectRoutes, { prefix: '/inspect' });
  return app;
}
