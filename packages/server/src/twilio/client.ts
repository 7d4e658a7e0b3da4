import twilio from 'twilio';
import type { Twilio } from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient.js';
import { Semaphore } from './semaphore.ts';

interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Every request goes to this origin, path unchanged (a local simulator); null: Twilio. */
  apiBaseUrl: string | null;
  /** REST calls in flight at most: Twilio limits concurrency per account (HTTP 429 beyond). */
  maxConcurrency: number;
  timeoutMs?: number;
}

/**
 * The official client's HTTP layer, with two additions: a cap on requests in flight, and
 * an optional origin rewrite. Retries are ours (the effect runner backs off on 429, 5xx and
 * timeouts), so the client's own autoRetry stays off.
 */
class LifelineRequestClient extends RequestClient {
  readonly #limit: Semaphore;
  readonly #origin: URL | null;

  constructor(options: TwilioClientOptions) {
    super({ timeout: options.timeoutMs ?? 10_000, autoRetry: false });
    this.#limit = new Semaphore(options.maxConcurrency);
    this.#origin = options.apiBaseUrl === null ? null : new URL(options.apiBaseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = this.#rewrite(opts.uri);
    return this.#limit.run(() => super.request<TData>({ ...opts, uri }));
  }

  #rewrite(uri: string): string {
    if (this.#origin === null) return uri;
    const target = new URL(uri);
    target.protocol = this.#origin.protocol;
    target.host = this.#origin.host;
    return target.toString();
  }
}

export interface LifelineTwilio {
  client: Twilio;
  /** Twilio's Flex token validation (IAM), through the same client and origin rewrite. */
  validateToken(token: string): Promise<unknown>;
}

export function createTwilio(options: TwilioClientOptions): LifelineTwilio {
  const httpClient = new LifelineRequestClient(options);
  const client = twilio(options.accountSid, options.authToken, { httpClient });
  return {
    client,
    async validateToken(token: string) {
      const response = await client.request({
        method: 'post',
        uri: `https://iam.twilio.com/v1/Accounts/${options.accountSid}/Tokens/validate`,
        data: { token },
        headers: { 'Content-Type': 'application/json' },
      });
      if (response.statusCode >= 500) {
        throw new Error(`token validation answered ${response.statusCode}`);
      }
      return typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
    },
  };
}
