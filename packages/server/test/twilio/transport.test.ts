/**
 * Lifeline's HTTP layer under the official client (src/twilio/transport.ts) against the one
 * twilio-node ships (RequestClient over axios): the same resource calls must put the same
 * request on the wire and come back with the same results and the same failures.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type { Twilio } from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mayHaveReachedTwilio } from '../../src/effects/errors.ts';
import { createTwilio } from '../../src/twilio/client.ts';
import { formEncode } from '../../src/twilio/transport.ts';
import { sid } from '../support/payloads.ts';
import { refusedUrl } from '../support/refused.ts';

const ACCOUNT = sid('AC', 1);
const TOKEN = 'secret-token';
const CONFERENCE = sid('CF', 1);
const WORKSPACE = sid('WS', 1);

/** The official layer, sent to the stand-in instead of api.twilio.com (path unchanged). */
class OfficialAt extends RequestClient {
  constructor(private readonly origin: URL) {
    super({ autoRetry: false, timeout: 300 });
  }
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    uri.protocol = this.origin.protocol;
    uri.host = this.origin.host;
    return super.request<TData>({ ...opts, uri: uri.toString() });
  }
}

interface Seen {
  method: string;
  path: string;
  query: [string, string][];
  form: [string, string][];
  headers: Record<string, string | string[] | undefined>;
}

/** Notes each request and answers by route: the same answers for both layers. */
async function standIn() {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: request.method ?? '',
        path: url.pathname,
        query: [...url.searchParams],
        form: [...new URLSearchParams(body)],
        headers: {
          authorization: request.headers.authorization,
          'content-type': request.headers['content-type'],
          accept: request.headers.accept,
          'user-agent': request.headers['user-agent'],
          'accept-charset': request.headers['accept-charset'],
        },
      });
      if (url.pathname.endsWith('/hang')) return; // never answered
      const json = (status: number, value: unknown) =>
        response
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify(value));
      if (request.method === 'DELETE') return response.writeHead(204).end();
      if (url.pathname.includes('Missing')) {
        return json(404, {
          code: 20404,
          message: 'The requested resource was not found',
          status: 404,
        });
      }
      if (url.pathname.endsWith('/Tasks')) {
        return json(200, {
          tasks: [{ sid: sid('WT', 1), attributes: '{"a":1}', priority: 5 }],
          meta: { next_page_url: null, key: 'tasks', page: 0, page_size: 50 },
        });
      }
      return json(200, { sid: CONFERENCE, status: 'in-progress', friendly_name: 'é & = +' });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type Call = (client: Twilio) => Promise<unknown>;

/** What a resource call returned or threw, in the terms the server reads. */
async function outcome(call: Promise<unknown>) {
  try {
    return { ok: JSON.parse(JSON.stringify(await call)) as unknown };
  } catch (error) {
    const fields = error as { status?: unknown; code?: unknown; message?: unknown };
    return {
      failed: {
        status: fields.status,
        code: fields.code,
        message: fields.message,
        sent: mayHaveReachedTwilio(error),
      },
    };
  }
}

const CALLS: Record<string, Call> = {
  'a form POST (conference update)': (client) =>
    client.api.v2010
      .accounts(ACCOUNT)
      .conferences(CONFERENCE)
      .update({ announceUrl: 'http://127.0.0.1/announce?x=1 2', announceMethod: 'POST' }),
  'repeated keys (a call with status events)': (client) =>
    client.api.v2010.accounts(ACCOUNT).calls.create({
      to: 'client:agent one',
      from: '+15005550006',
      url: 'http://127.0.0.1/twiml',
      statusCallbackEvent: ['initiated', 'answered', 'completed'],
      record: true,
    }),
  'a JSON attribute and a priority (task create)': (client) =>
    client.taskrouter.v1.workspaces(WORKSPACE).tasks.create({
      attributes: JSON.stringify({ lifeline: { kind: 'ping', n: "it's (*)!" } }),
      priority: 100,
      timeout: 20,
    }),
  'a GET with query parameters (task list)': (client) =>
    client.taskrouter.v1.workspaces(WORKSPACE).tasks.list({
      evaluateTaskAttributes: 'lifeline.kind == "ping"',
      assignmentStatus: ['pending', 'reserved'],
      limit: 20,
    }),
  'a DELETE (204, no body)': (client) =>
    client.api.v2010.accounts(ACCOUNT).conferences(CONFERENCE).participants(sid('CA', 1)).remove(),
  'a 404 (RestException)': (client) =>
    client.api.v2010.accounts(ACCOUNT).calls('CAMissing00000000000000000000000').fetch(),
};

describe("Lifeline's HTTP layer, against twilio-node's own", () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  // twilio-node reads a date the answer leaves out as now: one now for both layers.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-02T10:00:00Z') });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  for (const [name, call] of Object.entries(CALLS)) {
    it(`sends and answers alike: ${name}`, async () => {
      const twilioStandIn = await standIn();
      closers.push(() => twilioStandIn.close());
      const official = twilio(ACCOUNT, TOKEN, {
        httpClient: new OfficialAt(new URL(twilioStandIn.url)),
      });
      const ours = createTwilio({
        accountSid: ACCOUNT,
        authToken: TOKEN,
        apiBaseUrl: twilioStandIn.url,
        maxConcurrency: 5,
        authConcurrency: 1,
      }).client;

      const theirs = await outcome(call(official));
      const mine = await outcome(call(ours));
      expect(mine).toEqual(theirs);
      expect(twilioStandIn.seen).toHaveLength(2);
      const [a, b] = twilioStandIn.seen;
      expect(b).toEqual(a);
      expect(a?.headers.authorization).toBe(
        `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`,
      );
    });
  }

  it('fails alike: a timeout may have reached Twilio, a refused connection did not', async () => {
    const twilioStandIn = await standIn();
    closers.push(() => twilioStandIn.close());
    const through = (url: string) => ({
      official: twilio(ACCOUNT, TOKEN, { httpClient: new OfficialAt(new URL(url)) }),
      ours: createTwilio({
        accountSid: ACCOUNT,
        authToken: TOKEN,
        apiBaseUrl: url,
        maxConcurrency: 5,
        authConcurrency: 1,
        timeoutMs: 300,
      }).client,
    });
    const hanging = through(twilioStandIn.url);
    // A path the stand-in never answers.
    const request = (client: Twilio) =>
      client.request({ method: 'post', uri: `https://api.twilio.com/x/hang`, data: { a: 1 } });
    const theirs = await outcome(request(hanging.official));
    const mine = await outcome(request(hanging.ours));
    expect(mine).toEqual(theirs);
    expect(mine).toMatchObject({ failed: { code: 'ECONNABORTED', sent: true } });

    const refused = through(await refusedUrl());
    const update: Call = (client) =>
      client.api.v2010.accounts(ACCOUNT).conferences(CONFERENCE).update({ status: 'completed' });
    const theirRefusal = await outcome(update(refused.official));
    const myRefusal = await outcome(update(refused.ours));
    expect(myRefusal).toMatchObject({ failed: { code: 'ECONNREFUSED', sent: false } });
    expect(theirRefusal).toMatchObject({ failed: { code: 'ECONNREFUSED', sent: false } });
  });

  it("encodes forms as qs does with arrayFormat 'repeat'", () => {
    expect(formEncode({ a: 'x y', b: ['1', '2'], c: null, d: undefined, e: true, f: 'é&=+' })).toBe(
      'a=x%20y&b=1&b=2&c=&e=true&f=%C3%A9%26%3D%2B',
    );
  });
});
