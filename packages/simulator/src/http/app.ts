import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { TwilioApiError, apiErrors } from '../errors.ts';
import { internalError, sendTwilioError, unauthorized } from './errors.ts';
import { callRoutes } from './routes/calls.ts';
import { conferenceRoutes } from './routes/conferences.ts';
import { participantRoutes } from './routes/participants.ts';
import { reservationRoutes } from './routes/reservations.ts';
import { taskRoutes } from './routes/tasks.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { workerRoutes } from './routes/workers.ts';
import { workflowRoutes } from './routes/workflows.ts';
import type { Deps } from './serve.ts';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the Authorization header carries the account's SID and auth token. */
export function authorized(
  header: string | undefined,
  accountSid: string,
  authToken: string,
): boolean {
  if (header === undefined || !header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return (
    sameText(decoded.slice(0, colon), accountSid) && sameText(decoded.slice(colon + 1), authToken)
  );
}

/** The REST face of the simulator: api, taskrouter and iam paths on one origin. */
export function buildApp(deps: Deps): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  void app.register(formbody);

  app.addHook('onRequest', async (request, reply) => {
    if (authorized(request.headers.authorization, deps.options.accountSid, deps.options.authToken))
      return;
    deps.requests.add({
      at: deps.clock.now(),
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      operationId: null,
      params: {},
      unknownParams: [],
      status: 401,
    });
    reply.header('WWW-Authenticate', 'Basic realm="Twilio API"');
    return sendTwilioError(reply, unauthorized());
  });

  app.setNotFoundHandler((request, reply) => {
    void sendTwilioError(reply, apiErrors.notFound(request.url.split('?')[0] ?? request.url));
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof TwilioApiError) return sendTwilioError(reply, error);
    const status =
      typeof error === 'object' && error !== null && 'statusCode' in error ? error.statusCode : 500;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : 'Bad request';
      return sendTwilioError(reply, new TwilioApiError(status, 20001, message));
    }
    deps.world.listenerErrors.push(error);
    return sendTwilioError(reply, internalError());
  });

  conferenceRoutes(app, deps);
  participantRoutes(app, deps);
  callRoutes(app, deps);
  taskRoutes(app, deps);
  reservationRoutes(app, deps);
  workerRoutes(app, deps);
  workflowRoutes(app, deps);
  tokenRoutes(app, deps);
  return app;
}
