import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RealClock } from '../clock.ts';
import { apiErrors, TwilioApiError } from '../errors.ts';
import type { Faults } from '../faults.ts';
import type { JsonObject } from '../json.ts';
import type { ResolvedOptions } from '../options.ts';
import { specOperations } from '../spec/operations.generated.ts';
import type { SpecOperation } from '../spec/types.ts';
import type { Tokens } from '../tokens.ts';
import type { World } from '../world/world.ts';
import { faultError, sendTwilioError } from './errors.ts';
import type { Fields } from './params.ts';
import { toFields } from './params.ts';
import type { RequestLog } from './request-log.ts';

export interface RouteContext {
  /** Path parameters, named as in the spec (`AccountSid`, `Sid`, `ConferenceSid`, ...). */
  path: Record<string, string>;
  /** Form body fields (POST). */
  fields: Fields;
  /** Query fields (GET). */
  query: Fields;
  header(name: string): string | undefined;
  /** The request path without the query, for 404 messages and page URIs. */
  urlPath: string;
}

export interface RouteResult {
  status?: number;
  body: JsonObject | null;
  headers?: Record<string, string>;
}

export type Handler = (context: RouteContext) => RouteResult | Promise<RouteResult>;

/** What route handlers work with. */
export interface Deps {
  world: World;
  options: ResolvedOptions;
  clock: RealClock;
  faults: Faults;
  requests: RequestLog;
  tokens: Tokens;
  /** The simulator's own origin, once it listens. */
  origin(): string;
  /** Operation IDs registered so far (the spec-coverage test reads them). */
  served: string[];
}

export function specOperation(operationId: string): SpecOperation {
  const op = specOperations.find((o) => o.operationId === operationId);
  if (op === undefined) throw new Error(`operation ${operationId} is not in the derived spec`);
  return op;
}

function pathParams(request: FastifyRequest): Record<string, string> {
  const raw = request.params;
  const out: Record<string, string> = {};
  if (typeof raw === 'object' && raw !== null) {
    for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function flatten(fields: Fields): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Registers the handler for one OpenAPI operation, at the spec's own path: the simulator
 * serves only routes Twilio's description defines. Checks the account and workspace in the
 * path, applies REST faults, flags unknown parameters and logs the request.
 */
export function serve(
  app: FastifyInstance,
  deps: Deps,
  operationId: string,
  handler: Handler,
): void {
  const op = specOperation(operationId);
  const url = op.path.replace(/\{(\w+)\}/g, ':$1');
  deps.served.push(operationId);
  app.route({
    method: op.method,
    url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const urlPath = request.url.split('?')[0] ?? request.url;
      const fields = op.method === 'POST' ? toFields(request.body) : {};
      const query = toFields(request.query);
      const given = op.method === 'POST' ? fields : query;
      const known = op.method === 'POST' ? op.bodyParams : op.queryParams;
      const unknownParams = Object.keys(given).filter((key) => !known.includes(key));
      const log = (status: number): void =>
        deps.requests.add({
          at: deps.clock.now(),
          method: op.method,
          path: urlPath,
          operationId,
          params: flatten(given),
          unknownParams,
          status,
        });
      // Counted from arrival to answer, as Twilio counts an account's concurrent requests.
      let admitted = false;
      try {
        if (!deps.faults.admitRest()) throw faultError(429);
        admitted = true;
        const latency =
          deps.world.draw('rest-latency', deps.options.timing.restLatencyMs) +
          deps.faults.takeLatencyMs();
        if (latency > 0) await deps.clock.sleep(latency);
        const fault = deps.faults.takeRestError({ method: op.method, path: urlPath, operationId });
        if (fault !== null) throw faultError(fault);
        const path = pathParams(request);
        if (path['AccountSid'] !== undefined && path['AccountSid'] !== deps.options.accountSid) {
          throw apiErrors.notFound(urlPath);
        }
        if (
          path['WorkspaceSid'] !== undefined &&
          path['WorkspaceSid'] !== deps.options.workspaceSid
        ) {
          throw apiErrors.notFound(urlPath);
        }
        if (deps.options.strictParams && unknownParams.length > 0) {
          throw apiErrors.invalid(
            `Unknown parameter(s) for ${operationId}: ${unknownParams.join(', ')}`,
          );
        }
        const missing = op.requiredBodyParams.filter(
          (name) => op.method === 'POST' && fields[name] === undefined,
        );
        if (missing.includes('To')) throw apiErrors.missingTo();
        if (missing.includes('From')) throw apiErrors.missingFrom();
        if (missing.length > 0)
          throw apiErrors.invalid(`Missing required parameter ${missing.join(', ')}`);
        const result = await handler({
          path,
          fields,
          query,
          header: (name) => {
            const value = request.headers[name.toLowerCase()];
            return Array.isArray(value) ? value[0] : value;
          },
          urlPath,
        });
        const status = result.status ?? op.status;
        log(status);
        for (const [key, value] of Object.entries(result.headers ?? {})) reply.header(key, value);
        if (result.body === null) return reply.code(status).send();
        return reply.code(status).type('application/json').send(result.body);
      } catch (error) {
        if (error instanceof TwilioApiError) {
          log(error.status);
          return sendTwilioError(reply, error);
        }
        throw error;
      } finally {
        if (admitted) deps.faults.restAnswered();
      }
    },
  });
}
