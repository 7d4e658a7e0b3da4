import twilio from 'twilio';
import type { Twilio } from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient.js';
import { Semaphore } from './semaphore.ts';
import { send, transportAgents } from './transport.ts';
import type { TransportAgents } from './transport.ts';

interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Every request goes to this origin, path unchanged (a local simulator); null: Twilio. */
  apiBaseUrl: string | null;
  /**
   * REST calls in flight at most, all of them: Twilio limits concurrency per account (HTTP
   * 429 beyond).
   */
  maxConcurrency: number;
  /** Of maxConcurrency, the slots kept for token validations and registration checks (8). */
  authConcurrency?: number;
  timeoutMs?: number;
  /** Token validation and registration checks give up sooner than effects. */
  authTimeoutMs?: number;
}

/**
 * The official client's HTTP layer, with three changes: a cap on requests in flight, an
 * optional origin rewrite, and the exchange itself on Node's http (transport.ts) rather than
 * axios. A proxy (HTTP_PROXY) or a CA bundle (TWILIO_CA_BUNDLE) is the official layer's to
 * handle: then it sends. Retries are ours (the effect runner backs off on 429, 5xx and
 * timeouts), so the client's own autoRetry stays off.
 */
class LifelineRequestClient extends RequestClient {
  readonly #limit: Semaphore;
  readonly #origin: URL | null;
  readonly #timeoutMs: number;
  readonly #agents: TransportAgents | null;

  constructor(apiBaseUrl: string | null, maxConcurrency: number, timeoutMs: number) {
    super({ timeout: timeoutMs, autoRetry: false });
    this.#limit = new Semaphore(maxConcurrency);
    this.#origin = apiBaseUrl === null ? null : new URL(apiBaseUrl);
    this.#timeoutMs = timeoutMs;
    const official =
      process.env['HTTP_PROXY'] !== undefined || process.env['TWILIO_CA_BUNDLE'] !== undefined;
    this.#agents = official ? null : transportAgents(maxConcurrency);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = this.#rewrite(opts.uri);
    const agents = this.#agents;
    if (agents === null) return this.#limit.run(() => super.request<TData>({ ...opts, uri }));
    return this.#limit.run(async () => {
      const answer = await send(
        {
          method: opts.method,
          uri,
          headers: await this.#headers(opts),
          params: opts.params ?? undefined,
          data: opts.data,
          timeoutMs: opts.timeout ?? this.#timeoutMs,
        },
        agents,
      );
      // The typings name the body after the request's data; it is Twilio's answer, as text,
      // which twilio-node parses itself (Version.ts, RestException.ts).
      const response: Awaited<ReturnType<typeof RequestClient.prototype.request<TData>>> = {
        statusCode: answer.statusCode,
        body: answer.body as TData,
        headers: answer.headers,
      };
      return response;
    });
  }

  /** The client's headers and its credentials, as RequestClient.request sets them. */
  async #headers<TData>(
    opts: RequestClient.RequestOptions<TData>,
  ): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (value !== undefined) headers[name] = String(value);
    }
    if (opts.username && opts.password) {
      const basic = Buffer.from(`${opts.username}:${opts.password}`).toString('base64');
      headers['Authorization'] = `Basic ${basic}`;
    } else if (opts.authStrategy) {
      headers['Authorization'] = await opts.authStrategy.getAuthString();
    }
    return headers;
  }

  #rewrite(uri: string): string {
    if (this.#origin === null) return uri;
    const target = new URL(uri);
    target.protocol = this.#origin.protocol;
    target.host = this.#origin.host;
    return target.toString();
  }
}

/**
 * Twilio could not be asked (network error, timeout, 5xx). The message names the cause only:
 * the HTTP client's own error carries the request, with its Basic credentials and body.
 */
export class TwilioUnavailableError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what}: Twilio unavailable (${causeOf(cause)})`);
    this.name = 'TwilioUnavailableError';
  }
}

function causeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown error';
  const fields = error as { code?: unknown; status?: unknown };
  if (typeof fields.status === 'number') return `HTTP ${fields.status}`;
  if (typeof fields.code === 'string' && /^[A-Z_]+$/.test(fields.code)) return fields.code;
  return 'request failed';
}

/**
 * The REST slots recovery effects have: the account's budget less the ones kept for
 * authentication. Two budgets side by side would send more than the account allows (the
 * mass-disconnect bench got 549 HTTP 429s at 1,000 calls while agents re-registered).
 */
export function effectSlots(maxConcurrency: number, authConcurrency: number): number {
  return Math.max(1, maxConcurrency - authConcurrency);
}

export interface LifelineTwilio {
  /** For recovery effects: effectSlots() slots nothing else uses. */
  client: Twilio;
  /**
   * For authentication (token validation, registration checks): its own small share of the
   * budget, so a flood of tokens never queues a recovery's effects, nor they a login.
   */
  authClient: Twilio;
  /** Twilio's Flex token validation (IAM), on the authentication budget. */
  validateToken(token: string): Promise<unknown>;
}

/** How long an effect's REST request waits for Twilio's answer before it is given up. */
export const REQUEST_TIMEOUT_MS = 10_000;

export function createTwilio(options: TwilioClientOptions): LifelineTwilio {
  const authConcurrency = options.authConcurrency ?? 8;
  const effects = new LifelineRequestClient(
    options.apiBaseUrl,
    effectSlots(options.maxConcurrency, authConcurrency),
    options.timeoutMs ?? REQUEST_TIMEOUT_MS,
  );
  const auth = new LifelineRequestClient(
    options.apiBaseUrl,
    authConcurrency,
    options.authTimeoutMs ?? 5_000,
  );
  const client = twilio(options.accountSid, options.authToken, { httpClient: effects });
  const authClient = twilio(options.accountSid, options.authToken, { httpClient: auth });
  return {
    client,
    authClient,
    async validateToken(token: string) {
      let response: { statusCode: number; body: unknown };
      try {
        response = await authClient.request({
          method: 'post',
          uri: `https://iam.twilio.com/v1/Accounts/${options.accountSid}/Tokens/validate`,
          data: { token },
          headers: { 'Content-Type': 'application/json' },
        });
      } catch (error) {
        throw new TwilioUnavailableError('token validation', error);
      }
      if (response.statusCode >= 500 || response.statusCode === 429) {
        throw new TwilioUnavailableError('token validation', { status: response.statusCode });
      }
      return typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
    },
  };
}
