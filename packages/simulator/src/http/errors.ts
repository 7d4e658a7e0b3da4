import type { FastifyReply } from 'fastify';
import { TwilioApiError } from '../errors.ts';

/** Twilio's error JSON: `{code, message, more_info, status}`. */
export function sendTwilioError(reply: FastifyReply, error: TwilioApiError): FastifyReply {
  return reply.code(error.status).type('application/json').send({
    code: error.code,
    message: error.message,
    more_info: error.moreInfo,
    status: error.status,
  });
}

export const unauthorized = (): TwilioApiError => new TwilioApiError(401, 20003, 'Authenticate');
export const tooManyRequests = (): TwilioApiError =>
  new TwilioApiError(429, 20429, 'Too Many Requests');
export const internalError = (): TwilioApiError =>
  new TwilioApiError(500, 20500, 'An internal server error has occurred');
export const serviceUnavailable = (): TwilioApiError =>
  new TwilioApiError(503, 20503, 'Service Unavailable');

export function faultError(status: number): TwilioApiError {
  if (status === 429) return tooManyRequests();
  if (status === 503) return serviceUnavailable();
  return internalError();
}
