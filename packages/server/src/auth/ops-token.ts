import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * onRequest guard for the operator's endpoints (/metrics, /docs): with OPS_TOKEN set they
 * require `Authorization: Bearer <OPS_TOKEN>`; unset, they stay open (a private network's
 * choice, documented). Compared in constant time over digests, so length leaks nothing.
 */
export function opsGuard(opsToken: string | null): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (opsToken === null) return;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(opsToken))) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="lifeline-ops"')
      .send({ error: 'Unauthorized', message: 'OPS_TOKEN bearer required' });
  };
}
