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

type Answer = { ok: true; identity: FlexIdentity } | { ok: false; message: string };

interface CacheEntry {
  answer: Answer;
  expiresAt: number;
}

export interface FlexAuthOptions {
  /** How long a valid token's identity is trusted before Twilio is asked again. */
  ttlMs?: number;
  /** How long a refused token stays refused without asking Twilio again. */
  negativeTtlMs?: number;
  now?: () => number;
  maxEntries?: number;
}

/**
 * Validates Flex tokens through Twilio (never locally: only Twilio knows whether a token is
 * still valid) and caches the answer briefly so a busy plugin does not hit IAM per request.
 * Refusals are cached too (shorter), and concurrent checks of one token share one call, so
 * repeating a bad token costs Twilio nothing.
 */
export class FlexAuth {
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inFlight = new Map<string, Promise<Answer>>();
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(
    private readonly twilio: Pick<LifelineTwilio, 'validateToken'>,
    options: FlexAuthOptions = {},
  ) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#negativeTtlMs = options.negativeTtlMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  async identify(token: string): Promise<FlexIdentity> {
    const answer = await this.#answer(token);
    if (!answer.ok) throw new AuthError(answer.message);
    return answer.identity;
  }

  /**
   * When the identity for this token must be checked again (a stream re-checks then), or null
   * when it is not (or no longer) cached.
   */
  expiresAt(token: string): number | null {
    return this.#cache.get(token)?.expiresAt ?? null;
  }

  async #answer(token: string): Promise<Answer> {
    const cached = this.#cache.get(token);
    if (cached !== undefined && cached.expiresAt > this.#now()) return cached.answer;
    const pending = this.#inFlight.get(token);
    if (pending !== undefined) return pending;
    const asking = this.#ask(token).finally(() => this.#inFlight.delete(token));
    this.#inFlight.set(token, asking);
    return asking;
  }

  async #ask(token: string): Promise<Answer> {
    // An unavailable Twilio throws (503): that is no answer about the token, so nothing is cached.
    const raw = (await this.twilio.validateToken(token)) as Record<string, unknown> | null;
    if (raw === null || raw['valid'] !== true) {
      const answer: Answer = {
        ok: false,
        message: typeof raw?.['message'] === 'string' ? raw['message'] : 'invalid Flex token',
      };
      this.#remember(token, answer, this.#now() + this.#negativeTtlMs);
      return answer;
    }
    const identity: FlexIdentity = {
      workerSid: typeof raw['worker_sid'] === 'string' ? raw['worker_sid'] : null,
      roles: Array.isArray(raw['roles'])
        ? raw['roles'].filter((r): r is string => typeof r === 'string')
        : [],
      identity: typeof raw['identity'] === 'string' ? raw['identity'] : null,
    };
    // Never cache past the token's own expiry.
    const expiration = typeof raw['expiration'] === 'string' ? Date.parse(raw['expiration']) : NaN;
    const expiresAt = Math.min(
      this.#now() + this.#ttlMs,
      Number.isNaN(expiration) ? Infinity : expiration,
    );
    const answer: Answer = { ok: true, identity };
    this.#remember(token, answer, expiresAt);
    return answer;
  }

  #remember(token: string, answer: Answer, expiresAt: number): void {
    this.#cache.delete(token);
    if (this.#cache.size >= this.#maxEntries) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(token, { answer, expiresAt });
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

/**
 * Registering claims the agent's seat in a call, so only the worker itself may: supervisors
 * and admins may read a conference but not re-register anyone into it.
 */
export function assertIsWorker(identity: FlexIdentity | null, workerSid: string): void {
  if (authenticated(identity).workerSid === workerSid) return;
  throw new ForbiddenError(`only worker ${workerSid} may register itself`);
}

export function assertAdmin(identity: FlexIdentity | null): void {
  if (!authenticated(identity).roles.includes('admin')) {
    throw new ForbiddenError('admin role required');
  }
}
