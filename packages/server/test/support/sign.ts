import { createHash } from 'node:crypto';
import twilio from 'twilio';

/** Signatures made with twilio-node's own helpers, as Twilio makes them. */
export function signForm(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

export function signBody(authToken: string, urlWithHash: string): string {
  return twilio.getExpectedTwilioSignature(authToken, urlWithHash, {});
}
