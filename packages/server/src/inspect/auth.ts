/**
 * Who may use the inspector: a Flex token with the admin or supervisor role (Authorization:
 * Bearer, or ?token= for the first page load), or the HTTP basic credentials configured in
 * INSPECT_BASIC_AUTH. Registered as an onRequest hook on the /inspect scope only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { InspectConfig } from '../config.ts';
import { AuthError } from '../auth/flex-auth.ts';
import type { FlexAuth } from '../auth/flex-auth.ts';
import { signInPage } from './page.ts';

const PRIVILEGED = ['admin', 'supervisor'];

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function basicCredentials(header: string): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (match?.[1] === undefined) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) return null;
  return { user: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] !== undefined) return match[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  const token = query?.['token'];
  return typeof token === 'string' && token !== '' ? token : null;
}

function wantsHtml(request: FastifyRequest): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  status: 401 | 403,
  message: string,
  config: InspectConfig,
): FastifyReply {
  if (status === 401 && config.basicAuth !== null) {
    reply.header('www-authenticate', 'Basic realm="Lifeline inspector", charset="UTF-8"');
  }
  // A browser gets a page that explains and takes a token; it holds no data.
  if (wantsHtml(request)) {
    return reply.code(status).type('text/html; charset=utf-8').send(signInPage(status, message));
  }
  return reply.code(status).send({ error: status === 401 ? 'Unauthorized' : 'Forbidden', message });
}

export interface InspectCaller {
  kind: 'basic' | 'flex';
  /** The basic user or the Flex identity, for audit logs (never a secret). */
  who: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    inspectCaller?: InspectCaller;
  }
}

export function inspectAuth(
  config: InspectConfig,
  auth: () => FlexAuth,
): onRequestAsyncHookHandler {
  return async function inspectAuthHook(request, reply) {
    const header = request.headers.authorization;
    if (config.basicAuth !== null && typeof header === 'string' && /^Basic\s/i.test(header)) {
      const given = basicCredentials(header);
      // Both compared every time, so a right user name is not told apart by timing.
      const userOk = sameSecret(given?.user ?? '', config.basicAuth.user);
      const passwordOk = sameSecret(given?.password ?? '', config.basicAuth.password);
      if (given !== null && userOk && passwordOk) {
        request.inspectCaller = { kind: 'basic', who: given.user };
        return;
      }
      return refuse(request, reply, 401, 'wrong user or password', config);
    }
    const token = tokenOf(request);
    if (token === null) {
      return refuse(request, reply, 401, 'a supervisor or admin Flex token is required', config);
    }
    try {
      const identity = await auth().identify(token);
      if (!identity.roles.some((role) => PRIVILEGED.includes(role))) {
        return refuse(request, reply, 403, 'the inspector is for supervisors and admins', config);
      }
      request.inspectCaller = { kind: 'flex', who: identity.identity ?? identity.workerSid };
    } catch (error) {
      if (error instanceof AuthError) return refuse(request, reply, 401, error.message, config);
      throw error;
    }
  };
}
