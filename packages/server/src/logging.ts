import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config.ts';

const CENSOR = '[redacted]';

/** Query tokens (EventSource) must never reach the logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#\s"]*/gi, `$1${CENSOR}`);
}

/**
 * Credentials by shape, wherever they appear in a log line: HTTP Authorization values, a
 * `token` field or query parameter, Twilio signatures. Flex tokens are opaque, so their shape
 * is only known from where they sit.
 */
const SHAPES: [RegExp, string][] = [
  [/\b(Basic|Bearer)(\s+|\\u0020)[A-Za-z0-9+/=._~-]+/gi, `$1$2${CENSOR}`],
  [/([?&]token=)[^&#\s"\\]*/gi, `$1${CENSOR}`],
  // "token":"..." in JSON (pino output), with or without escaping inside a string.
  [/(\\?"token\\?"\s*:\s*\\?")((?:[^"\\]|\\(?!"))*)/gi, `$1${CENSOR}`],
  [/(token=)[^&\s"\\]+/gi, `$1${CENSOR}`],
  [/(x-twilio-signature\\?"\s*:\s*\\?")[^"\\]*/gi, `$1${CENSOR}`],
];

/** Removes the known secrets by value and every credential by shape. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join(CENSOR);
  }
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * The secrets this server holds, as they may appear in text: the auth token, and the Basic
 * credentials the Twilio client sends (base64 of AccountSid:AuthToken).
 */
export function serverSecrets(accountSid: string, authToken: string): string[] {
  if (authToken === '') return [];
  const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
  return [authToken, basic, encodeURIComponent(authToken)];
}

interface SerializedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

/**
 * Errors keep their type, message, code, status and stack only: an HTTP client's error also
 * carries the request it made (headers with Basic credentials, a body with the Flex token),
 * which must never be written out.
 */
export function serializeError(error: unknown, secrets: readonly string[] = []): SerializedError {
  if (!(error instanceof Error)) {
    return { type: typeof error, message: scrub(String(error), secrets), stack: '' };
  }
  const fields = error as Error & { code?: unknown; status?: unknown; statusCode?: unknown };
  const status = typeof fields.status === 'number' ? fields.status : fields.statusCode;
  return {
    type: error.name,
    message: scrub(error.message, secrets),
    ...(typeof fields.code === 'string' || typeof fields.code === 'number'
      ? { code: fields.code }
      : {}),
    ...(typeof status === 'number' ? { status } : {}),
    stack: scrub(error.stack ?? '', secrets),
  };
}

/**
 * Pino options for the server's logger. Three layers, so no path leaks a credential: redact
 * paths for known fields, serializers for requests and errors, and a last pass over every
 * written line that removes the server's own secrets by value and credentials by shape.
 */
export function logOptions(
  level: LogLevel = 'info',
  secrets: readonly string[] = [],
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-twilio-signature"]',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        '*.headers.authorization',
        '*.headers.Authorization',
      ],
      censor: CENSOR,
    },
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        ip: request.ip,
      }),
      err: (error: unknown) => serializeError(error, secrets),
    },
    hooks: {
      streamWrite: (line: string) => scrub(line, secrets),
    },
  };
}
