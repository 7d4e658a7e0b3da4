/** Which webhooks a fault applies to. */
export type WebhookKind = 'conference' | 'call-status' | 'event-streams';
export type WebhookScope = WebhookKind | 'any';

export interface RestFaultMatch {
  /** OpenAPI operationId, e.g. `UpdateParticipant`. */
  operationId?: string;
  method?: string;
  /** A substring of the request path. */
  pathIncludes?: string;
}

interface CountedRule {
  scope: WebhookScope;
  remaining: number;
}

interface RestErrorRule {
  status: number;
  remaining: number;
  match: RestFaultMatch;
}

/** A cap on REST requests in flight, from `Faults.limitRestConcurrency`. */
export interface RestConcurrencyLimit {
  readonly limit: number;
  /** Requests answered 429 because `limit` were already in flight. */
  readonly rejected: number;
  /** Removes the cap (so does `Faults.clear()`); `rejected` keeps its count. */
  lift(): void;
}

export interface WebhookPlan {
  duplicate: boolean;
  delayMs: number;
  /** Held back and sent after the following ones (reordering). */
  reorder: boolean;
}

export interface RestRequestInfo {
  method: string;
  path: string;
  operationId: string | null;
}

function scopeMatches(scope: WebhookScope, kind: WebhookKind): boolean {
  return scope === 'any' || scope === kind;
}

function take<T extends CountedRule>(rules: T[], kind: WebhookKind): T | undefined {
  const rule = rules.find((r) => r.remaining > 0 && scopeMatches(r.scope, kind));
  if (rule !== undefined) rule.remaining--;
  return rule;
}

/**
 * Faults on demand: each rule applies to the next N matching webhooks or requests, then
 * lapses. `clear()` drops them all.
 */
export class Faults {
  private duplicates: CountedRule[] = [];
  private delays: (CountedRule & { ms: number })[] = [];
  private reorders: CountedRule[] = [];
  private down: { urlPrefix: string }[] = [];
  private restErrorRules: RestErrorRule[] = [];
  private latency: { ms: number; remaining: number }[] = [];
  private concurrency: { limit: number; rejected: number } | null = null;
  /** REST requests admitted and not yet answered (counted with or without a cap). */
  private restInFlight = 0;

  /** The next `count` webhooks of this kind are delivered twice. */
  duplicateWebhooks(count = 1, scope: WebhookScope = 'any'): void {
    this.duplicates.push({ scope, remaining: count });
  }

  /** The next `count` webhooks of this kind leave `ms` late (later ones overtake them). */
  delayWebhooks(ms: number, count = 1, scope: WebhookScope = 'any'): void {
    this.delays.push({ scope, remaining: count, ms });
  }

  /** The next `count` webhooks of this kind are held and then sent in reverse order. */
  reorderWebhooks(count = 2, scope: WebhookScope = 'any'): void {
    this.reorders.push({ scope, remaining: count });
  }

  /**
   * Webhooks to URLs starting with `urlPrefix` (all, when omitted) fail as if the receiver
   * refused the connection, until `restore()`; Twilio's retry policy applies.
   */
  receiverDown(urlPrefix = ''): { restore(): void } {
    const rule = { urlPrefix };
    this.down.push(rule);
    return {
      restore: () => {
        this.down = this.down.filter((r) => r !== rule);
      },
    };
  }

  /** The next `count` REST requests matching `match` answer `status` (429 or 500) in Twilio's error shape. */
  restErrors(status: 429 | 500 | 503, count = 1, match: RestFaultMatch = {}): void {
    this.restErrorRules.push({ status, remaining: count, match });
  }

  /** The next `count` REST requests (every one when count is omitted) answer `ms` later. */
  restLatency(ms: number, count = Number.POSITIVE_INFINITY): void {
    this.latency.push({ ms, remaining: count });
  }

  /**
   * Twilio limits the REST requests an account has in flight; one above the limit is answered
   * at once with HTTP 429 and error 20429, "Too Many Requests", is not processed and is safe
   * to retry (https://www.twilio.com/docs/errors/20429); it does not count as in flight. Until
   * `lift()` or `clear()`, a request arriving while `limit` are in flight (from arrival to
   * answer, the profile's latency included) gets that answer.
   */
  limitRestConcurrency(limit: number): RestConcurrencyLimit {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`limitRestConcurrency: limit must be a positive integer, got ${limit}`);
    }
    const rule = { limit, rejected: 0 };
    this.concurrency = rule;
    return {
      limit,
      get rejected() {
        return rule.rejected;
      },
      lift: () => {
        if (this.concurrency === rule) this.concurrency = null;
      },
    };
  }

  clear(): void {
    this.concurrency = null;
    this.duplicates = [];
    this.delays = [];
    this.reorders = [];
    this.down = [];
    this.restErrorRules = [];
    this.latency = [];
  }

  // ----- used by the simulator -----

  planWebhook(kind: WebhookKind): WebhookPlan {
    return {
      duplicate: take(this.duplicates, kind) !== undefined,
      delayMs: take(this.delays, kind)?.ms ?? 0,
      reorder: take(this.reorders, kind) !== undefined,
    };
  }

  /** Whether reordering is still collecting for this kind (more held webhooks to come). */
  reorderPending(kind: WebhookKind): boolean {
    return this.reorders.some((r) => r.remaining > 0 && scopeMatches(r.scope, kind));
  }

  isDown(url: string): boolean {
    return this.down.some((rule) => url.startsWith(rule.urlPrefix));
  }

  /**
   * A REST request arrived: false when the concurrency cap turns it away (answer 429 at once);
   * true when it is now in flight, and `restAnswered()` must follow its answer.
   */
  admitRest(): boolean {
    const cap = this.concurrency;
    if (cap !== null && this.restInFlight >= cap.limit) {
      cap.rejected += 1;
      return false;
    }
    this.restInFlight += 1;
    return true;
  }

  restAnswered(): void {
    this.restInFlight = Math.max(0, this.restInFlight - 1);
  }

  takeRestError(request: RestRequestInfo): number | null {
    const rule = this.restErrorRules.find((r) => {
      if (r.remaining <= 0) return false;
      const m = r.match;
      if (m.operationId !== undefined && m.operationId !== request.operationId) return false;
      if (m.method !== undefined && m.method.toUpperCase() !== request.method.toUpperCase())
        return false;
      if (m.pathIncludes !== undefined && !request.path.includes(m.pathIncludes)) return false;
      return true;
    });
    if (rule === undefined) return null;
    rule.remaining--;
    return rule.status;
  }

  takeLatencyMs(): number {
    const rule = this.latency.find((r) => r.remaining > 0);
    if (rule === undefined) return 0;
    rule.remaining--;
    return rule.ms;
  }
}
