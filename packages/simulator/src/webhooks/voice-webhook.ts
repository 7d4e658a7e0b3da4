import twilio from 'twilio';
import type { RealClock } from '../clock.ts';
import type { Faults, WebhookKind } from '../faults.ts';
import { splitOverrides } from './connection-overrides.ts';
import type { HttpAttempt } from './http-post.ts';
import { delivered, sendWebhook } from './http-post.ts';
import type { DeliveryLog } from './log.ts';

export interface VoiceWebhookContext {
  authToken: string;
  clock: RealClock;
  faults: Faults;
  log: DeliveryLog;
  timeoutMs: number;
}

function shouldRetry(attempt: HttpAttempt, policy: Set<string>): boolean {
  if (attempt.failure !== null) return policy.has(attempt.failure);
  if (attempt.status === null) return false;
  if (attempt.status >= 500) return policy.has('5xx');
  if (attempt.status >= 400) return policy.has('4xx');
  return false;
}

/**
 * Sends one voice webhook (a form POST, or a GET with the fields in the query) signed with
 * X-Twilio-Signature exactly as twilio-node validates it, retrying per connection overrides.
 */
export async function sendVoiceWebhook(
  context: VoiceWebhookContext,
  kind: WebhookKind,
  webhookId: string,
  rawUrl: string,
  method: string,
  params: Record<string, string>,
  duplicate: boolean,
): Promise<void> {
  const { url, overrides } = splitOverrides(rawUrl);
  const isGet = method.toUpperCase() === 'GET';
  let target = url;
  if (isGet) {
    const query = new URLSearchParams(params).toString();
    target = url + (url.includes('?') ? '&' : '?') + query;
  }
  const signature = twilio.getExpectedTwilioSignature(
    context.authToken,
    target,
    isGet ? {} : params,
  );
  const body = isGet ? null : new URLSearchParams(params).toString();
  for (let attempt = 1; ; attempt++) {
    const at = context.clock.now();
    const result = await sendWebhook(context.faults, {
      method: isGet ? 'GET' : 'POST',
      url: target,
      headers: {
        'X-Twilio-Signature': signature,
        'I-Twilio-Idempotency-Token': webhookId,
        'User-Agent': 'TwilioProxy/1.1',
        ...(isGet ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }),
      },
      body,
      timeoutMs: overrides.readTimeoutMs ?? context.timeoutMs,
    });
    const ok = delivered(result);
    context.log.record({
      webhookId,
      kind,
      url: target,
      method: isGet ? 'GET' : 'POST',
      params,
      body,
      signature,
      attempt,
      duplicate,
      at,
      status: result.status,
      error: result.error,
      ok,
    });
    if (ok || attempt > overrides.retries || !shouldRetry(result, overrides.policy)) return;
  }
}
