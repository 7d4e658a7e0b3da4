import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import type { FlexIdentity } from '../../auth/flex-auth.ts';
import { FailureLimiter } from '../../auth/failure-limiter.ts';
import { AuthError, requestToken } from '../../auth/flex-auth.ts';
import { agentRoutes } from './agents.ts';
import { recoveryRoutes } from './recoveries.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's Flex identity, set by the /api/v1 scope's authentication. */
    flex: FlexIdentity | null;
  }
  interface FastifyContextConfig {
    /** 'body': the token comes in the body (sendBeacon cannot set headers). */
    tokenIn?: 'header' | 'body';
  }
}

/**
 * The plugin API. Authentication happens once for the whole scope: the Flex token (Bearer, or
 * ?token= for EventSource) is validated through Twilio in onRequest, before any body is read,
 * and the identity lands on request.flex. Routes only decide authorization (acts-for, admin).
 */
export const apiRoutes: FastifyPluginAsync<{ flexOrigin: string }> = async (api, options) => {
  await api.register(cors, {
    // Echo the Flex origin only; any other origin gets no CORS headers at all.
    origin: (origin, callback) => callback(null, origin === options.flexOrigin),
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type'],
  });
  api.decorateRequest('flex', null);

  // A client guessing tokens is stopped after a few refusals (429), before Twilio is asked.
  const failures = new FailureLimiter(20, 60_000, api.lifeline.now);
  const identify = async (request: FastifyRequest, token: string | null) => {
    failures.check(request.ip);
    if (token === null) throw new AuthError('Authorization: Bearer <Flex token> is required');
    try {
      request.flex = await api.lifeline.auth.identify(token);
    } catch (error) {
      if (error instanceof AuthError) failures.fail(request.ip);
      throw error;
    }
  };

  api.addHook('onRequest', async (request) => {
    // CORS preflights carry no credentials; @fastify/cors answers them.
    if (request.method === 'OPTIONS') return;
    if (request.routeOptions.config.tokenIn === 'body') return;
    await identify(request, requestToken(request));
  });
  // The beacon's token is in its body, so it is known only once the body is parsed.
  api.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.tokenIn !== 'body') return;
    const body = request.body as { token?: unknown } | undefined;
    await identify(request, typeof body?.token === 'string' ? body.token : null);
  });

  await api.register(agentRoutes);
  await api.register(recoveryRoutes);
};
