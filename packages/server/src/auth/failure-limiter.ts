/** Too many failed authentications from one client: answered 429 with Retry-After. */
export class TooManyFailuresError extends Error {
  constructor(readonly retryAfterS: number) {
    super('too many failed authentications; retry later');
    this.name = 'TooManyFailuresError';
  }
}

interface Window {
  failures: number;
  resetAt: number;
}

/**
 * Counts failed authentications per client (IP) in a fixed window. Past the limit the client
 * is refused before its token is even looked at, so a token flood costs Twilio nothing.
 * Bounded: the oldest client is forgotten first.
 */
export class FailureLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly maxFailures = 20,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxClients = 10_000,
  ) {}

  /** Throws TooManyFailuresError while the client is over its limit. */
  check(client: string): void {
    const window = this.#windows.get(client);
    if (window === undefined) return;
    const now = this.now();
    if (window.resetAt <= now) {
      this.#windows.delete(client);
      return;
    }
    if (window.failures >= this.maxFailures) {
      throw new TooManyFailuresError(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
    }
  }

  fail(client: string): void {
    const now = this.now();
    const window = this.#windows.get(client);
    if (window !== undefined && window.resetAt > now) {
      window.failures += 1;
      return;
    }
    if (this.#windows.size >= this.maxClients) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
    this.#windows.set(client, { failures: 1, resetAt: now + this.windowMs });
  }
}
