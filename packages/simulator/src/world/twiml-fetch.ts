import twilio from 'twilio';
import type { HttpAttempt } from '../webhooks/http-post.ts';
import { sendHttp } from '../webhooks/http-post.ts';
import type { Verb } from '../twiml.ts';
import { parseTwiml } from '../twiml.ts';
import type { CallRecord } from './records.ts';
import type { World } from './world.ts';

/** The standard parameters of a TwiML request, describing the call as it is now. */
function callParams(world: World, call: CallRecord): Record<string, string> {
  return {
    AccountSid: world.options.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.sid,
    CallStatus: call.status,
    Called: call.to,
    Caller: call.from,
    Direction: call.direction,
    From: call.from,
    To: call.to,
  };
}

/**
 * Requests a voice URL as Twilio does: a form POST (or a GET with the fields in the query)
 * of the call's standard parameters plus `extra` (an <Enqueue> action's QueueResult, ...),
 * signed with X-Twilio-Signature over the URL and every field sent.
 */
export async function requestVoiceUrl(
  world: World,
  call: CallRecord,
  url: string,
  method: string,
  extra: Record<string, string> = {},
): Promise<HttpAttempt> {
  const params = { ...callParams(world, call), ...extra };
  const isGet = method.toUpperCase() === 'GET';
  const target = isGet
    ? `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`
    : url;
  const signature = twilio.getExpectedTwilioSignature(
    world.options.authToken,
    target,
    isGet ? {} : params,
  );
  return sendHttp({
    method: isGet ? 'GET' : 'POST',
    url: target,
    headers: {
      'X-Twilio-Signature': signature,
      ...(isGet ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }),
    },
    body: isGet ? null : new URLSearchParams(params).toString(),
    timeoutMs: world.options.timing.voiceWebhookTimeoutMs,
  });
}

/**
 * Fetches TwiML from a voice URL as Twilio does (see requestVoiceUrl) and parses it. Null,
 * with a note on the call's timeline, when it cannot be used.
 */
export async function fetchTwiml(
  world: World,
  call: CallRecord,
  url: string,
  method: string,
  extra: Record<string, string> = {},
): Promise<Verb[] | null> {
  const result = await requestVoiceUrl(world, call, url, method, extra);
  if (result.status === null || result.status >= 300 || result.responseBody === null) {
    world.calls.note(
      call,
      `could not fetch TwiML from ${url}: ${result.error ?? `HTTP ${result.status}`}`,
    );
    return null;
  }
  try {
    return parseTwiml(result.responseBody);
  } catch (error) {
    world.calls.note(
      call,
      `TwiML from ${url} is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}
