import type { FastifyRequest } from 'fastify';
import type { LifelineTwilio } from '../twilio/client.ts';

/** Who is calling the plugin API, as Twilio's token validation says. */
export interface FlexIdentity {
  workerSid: string | null;
  roles: string[];
  identity: string | null;
}

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

interface CacheEntry {
  identity: FlexIdentity;
  expiresAt: number;
}

/**
 * Validates Flex tokens through Twilio (never locally: only Twilio knows whether a token is
 * still valid) and caches the answer briefly so a busy plugin does not hit IAM per request.
 */
export class FlexAuth {
  readonly #cache = new Map<string, CacheEntry>();

  constructor(
    private readonly twilio: LifelineTwilio,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  async identify(token: string): Promise<FlexIdentity> {
    const cached = this.#cache.get(token);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.identity;
    const answer = (await this.twilio.validateToken(token)) as Record<string, unknown> | null;
    if (answer === null || answer['valid'] !== true) {
      this.#cache.delete(token);
      throw new AuthError(
        typeof answer?.['message'] === 'string' ? answer['message'] : 'invalid Flex token',
      );
    }
    const identity: FlexIdentity = {
      workerSid: typeof answer['worker_sid'] === 'string' ? answer['worker_sid'] : null,
      roles: Array.isArray(answer['roles'])
        ? answer['roles'].filter((r): r is string => typeof r === 'string')
        : [],
      identity: typeof answer['identity'] === 'string' ? answer['identity'] : null,
    };
    if (this.#cache.size >= this.maxEntries) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    // Never cache past the token's own expiry.
    const expiration =
      typeof answer['expiration'] === 'string' ? Date.parse(answer['expiration']) : NaN;
    const expiresAt = Math.min(
      this.now() + this.ttlMs,
      Number.isNaN(expiration) ? Infinity : expiration,
    );
    this.#cache.set(token, { identity, expiresAt });
    return identity;
  }
}

/** Authorization: Bearer, or ?token= where headers cannot be set (EventSource). */
export function requestToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1]) return match[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.['token'] === 'string' && query['token'] !== '' ? query['token'] : null;
}

/**
 * The identity the /api/v1 scope's authentication set on the request. Null only if a route
 * escaped that hook, which is a bug; it is refused as unauthenticated, never let through.
 */
export function authenticated(identity: FlexIdentity | null): FlexIdentity {
  if (identity === null) throw new AuthError('Authorization: Bearer <Flex token> is required');
  return identity;
}

export function isPrivileged(identity: FlexIdentity): boolean {
  return identity.roles.includes('admin') || identity.roles.includes('supervisor');
}

/** A worker acts only on itself, unless its token carries a supervisor or admin role. */
export function assertActsFor(identity: FlexIdentity | null, workerSid: string): void {
  const who = authenticated(identity);
  if (who.workerSid === workerSid || isPrivileged(who)) return;
  throw new ForbiddenError(`this token may not act for worker ${workerSid}`);
}

export function assertAdmin(identity: FlexIdentity | null): void {
  if (!authenticated(identity).roles.includes('admin')) {
    throw new ForbiddenError('admin role required');
  }
}
