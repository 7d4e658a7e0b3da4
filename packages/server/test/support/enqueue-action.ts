import type { FastifyInstance } from 'fastify';
import { AUTH_TOKEN, PUBLIC_BASE_URL } from './app.ts';
import { CONF } from './payloads.ts';
import { signForm } from './sign.ts';

/** Twilio asking the customer's Enqueue action what next (signed form POST). */
export function enqueueEnded(
  app: FastifyInstance,
  params: Record<string, string>,
  options: { conferenceSid?: string; signature?: string } = {},
) {
  const path = `/webhooks/enqueue-ended?conferenceSid=${options.conferenceSid ?? CONF}`;
  return app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature':
        options.signature ?? signForm(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params),
    },
    payload: new URLSearchParams(params).toString(),
  });
}
