import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';

export interface Received {
  at: number;
  method: string;
  /** The full URL the receiver was called at (its origin + path + query). */
  url: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** Form fields (voice callbacks). */
  form: Record<string, string>;
  /** JSON body (Event Streams). */
  json: unknown;
  /** Whether X-Twilio-Signature checks out with twilio-node's own validators. */
  signatureValid: boolean;
}

type Responder = (received: Received) => { status: number; delayMs?: number; body?: string };

/**
 * A webhook receiver standing in for an application behind Twilio: keeps the raw body and
 * checks every signature with twilio-node (`validateRequest` for forms,
 * `validateRequestWithBody` for JSON) under the account's auth token.
 */
export class Receiver {
  readonly received: Received[] = [];
  private responder: Responder = () => ({ status: 204 });
  private app: FastifyInstance | null = null;
  origin = '';

  constructor(private readonly authToken: string) {}

  async start(): Promise<this> {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    app.addContentTypeParser(
      ['application/x-www-form-urlencoded', 'application/json'],
      { parseAs: 'string' },
      (_request, body, done) => done(null, body),
    );
    app.all('/*', async (request, reply) => {
      const rawBody = typeof request.body === 'string' ? request.body : '';
      const url = this.origin + request.url;
      const signature = request.headers['x-twilio-signature'];
      const header = typeof signature === 'string' ? signature : '';
      const isJson = String(request.headers['content-type'] ?? '').startsWith('application/json');
      const form = isJson ? {} : Object.fromEntries(new URLSearchParams(rawBody));
      const signatureValid = isJson
        ? twilio.validateRequestWithBody(this.authToken, header, url, rawBody)
        : twilio.validateRequest(this.authToken, header, url, request.method === 'GET' ? {} : form);
      const received: Received = {
        at: Date.now(),
        method: request.method,
        url,
        path: request.url.split('?')[0] ?? request.url,
        headers: request.headers,
        rawBody,
        form,
        json: isJson ? (JSON.parse(rawBody) as unknown) : null,
        signatureValid,
      };
      this.received.push(received);
      const answer = this.responder(received);
      if (answer.delayMs !== undefined)
        await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      return reply.code(answer.status).send(answer.body ?? '');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    this.origin = `http://127.0.0.1:${address.port}`;
    this.app = app;
    return this;
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  /** Conference callbacks received at a path, as form fields, in arrival order. */
  forms(path = '/webhooks/conference-status'): Record<string, string>[] {
    return this.received.filter((r) => r.path === path).map((r) => r.form);
  }

  /** Every CloudEvent received, flattened from the batches, in arrival order. */
  cloudEvents(): { type: string; id: string; data: { payload: Record<string, unknown> } }[] {
    return this.received
      .filter((r) => Array.isArray(r.json))
      .flatMap(
        (r) => r.json as { type: string; id: string; data: { payload: Record<string, unknown> } }[],
      );
  }

  async close(): Promise<void> {
    await this.app?.close();
  }
}
