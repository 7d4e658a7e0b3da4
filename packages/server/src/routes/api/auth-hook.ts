import type { FastifyRequest } from 'fastify';
import type { FlexIdentity } from '../../plugins/flex-auth.ts';
import { AuthError, bearerToken } from '../../plugins/flex-auth.ts';
import type { Services } from '../../services.ts';

declare module 'fastify' {
  interface FastifyRequest {
    flex?: FlexIdentity;
  }
}

/** The caller's Flex identity: Authorization: Bearer, or ?token= where headers can't be set (EventSource). */
export async function identify(services: Services, request: FastifyRequest): Promise<FlexIdentity> {
  const query = request.query as Record<string, unknown> | undefined;
  const token =
    bearerToken(request) ?? (typeof query?.['token'] === 'string' ? query['token'] : null);
  if (token === null) throw new AuthError('Authorization: Bearer <Flex token> is required');
  const identity = await services.auth.identify(token);
  request.flex = identity;
  return identity;
}
