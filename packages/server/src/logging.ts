import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config.ts';

/** Query tokens (EventSource) must never reach the logs. */
function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/g, '$1[redacted]');
}

/** Pino options for the server's logger: Flex tokens and Twilio signatures are redacted. */
export function logOptions(level: LogLevel = 'info'): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-twilio-signature"]', 'token', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        ip: request.ip,
      }),
    },
  };
}
