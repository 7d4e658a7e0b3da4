import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.ts';
import { isJsonObject } from '../../json.ts';
import { sendTwilioError } from '../errors.ts';
import type { Deps } from '../serve.ts';

/**
 * Flex token validation on the IAM host: `POST /v1/Accounts/{AccountSid}/Tokens/validate`
 * with the account's basic auth and JSON `{"token": "..."}`. Not in the OpenAPI descriptions
 * (twilio-flex-token-validator calls it directly), so registered by hand.
 */
export const tokenValidatePath = '/v1/Accounts/:AccountSid/Tokens/validate';

export function tokenRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(tokenValidatePath, async (request, reply) => {
    const params = request.params as Record<string, string | undefined>;
    const urlPath = request.url.split('?')[0] ?? request.url;
    if (params['AccountSid'] !== deps.options.accountSid)
      return sendTwilioError(reply, apiErrors.notFound(urlPath));
    const body: unknown = request.body;
    const token = isJsonObject(body) ? body['token'] : undefined;
    const answer = deps.tokens.validate(token);
    deps.requests.add({
      at: deps.clock.now(),
      method: 'POST',
      path: urlPath,
      operationId: 'ValidateToken',
      params: {},
      unknownParams: [],
      status: 200,
    });
    return reply.code(200).type('application/json').send(answer);
  });
}
