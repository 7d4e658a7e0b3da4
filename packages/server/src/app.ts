import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { PayloadError, SnapshotVersionError } from '@lifeline/machine';
import type { ServerConfig } from './config.ts';
import { AuthError, ForbiddenError } from './plugins/flex-auth.ts';
import { ConflictError } from './recovery/engine.ts';
import { agentRoutes } from './routes/api/agents.ts';
import { recoveryRoutes } from './routes/api/recoveries.ts';
import { healthRoutes } from './routes/health.ts';
import { twimlRoutes } from './routes/twiml.ts';
import { enqueueEndedRoute } from './routes/enqueue-ended.ts';
import { conferenceStatusRoute } from './routes/webhooks/conference-status.ts';
import { taskRouterEventsRoute } from './routes/webhooks/taskrouter-events.ts';
import { ErrorBody } from './routes/schemas.ts';
import type { ServiceOptions, Services } from './services.ts';
import { createServices } from './services.ts';
import type { RecoveryStore } from './store/types.ts';
import type { LifelineTwilio } from './twilio/client.ts';

declare module 'fastify' {
  interface FastifyInstance {
    lifeline: Services & { durable: boolean };
  }
}

export interface AppOptions {
  config: ServerConfig;
  store: RecoveryStore;
  /** false for the embedded in-memory store: /readyz and the start-up log say so. */
  durable: boolean;
  twilio: LifelineTwilio;
  now?: () => number;
  /** Start the effect runner and timer loop with the app (tests may drive them by hand). */
  runLoops?: boolean;
  runner?: ServiceOptions['runner'];
  timerTickMs?: number;
  fastify?: FastifyServerOptions;
}

/** Query tokens (EventSource) must never reach the logs. */
function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/g, '$1[redacted]');
}

export function logOptions(level = 'info'): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-twilio-signature"]', 'token', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        ip: request.ip,
      }),
    },
  };
}

function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (first === undefined) return undefined;
  const missing = (first.params as { missingProperty?: string } | undefined)?.missingProperty;
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const where = error.validationContext ?? 'body';
  return [where, path, missing].filter((part) => part !== undefined && part !== '').join('.');
}

/** The whole server as one Fastify app; main.ts only starts it. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logOptions(),
    trustProxy: true,
    ...options.fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const services = createServices({
    config: options.config,
    store: options.store,
    twilio: options.twilio,
    log: app.log,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.runner === undefined ? {} : { runner: options.runner }),
    ...(options.timerTickMs === undefined ? {} : { timerTickMs: options.timerTickMs }),
  });
  app.decorate('lifeline', { ...services, durable: options.durable });

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
    if (error.statusCode === 413 || error.statusCode === 415) {
      return reply.code(error.statusCode).send({ error: error.code, message: error.message });
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
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(formbody);

  await app.register(healthRoutes);
  await app.register(twimlRoutes);
  await app.register(enqueueEndedRoute);
  await app.register(conferenceStatusRoute);
  await app.register(taskRouterEventsRoute);
  await app.register(
    async (api) => {
      await api.register(cors, {
        // Echo the Flex origin only; any other origin gets no CORS headers at all.
        origin: (origin, callback) => callback(null, origin === options.config.flexOrigin),
        methods: ['GET', 'POST'],
        allowedHeaders: ['Authorization', 'Content-Type'],
      });
      await api.register(agentRoutes);
      await api.register(recoveryRoutes);
    },
    { prefix: '/api/v1' },
  );

  if (options.runLoops !== false) {
    app.addHook('onReady', async () => {
      services.runner.start();
      services.timers.start();
    });
  }
  // Stop taking work, finish what is in flight, then close Redis.
  app.addHook('onClose', async () => {
    await services.timers.stop();
    await services.runner.stop();
    await services.store.close();
  });

  return app;
}
