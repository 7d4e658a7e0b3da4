/**
 * The HTTP exchange under the official client, on Node's own http/https: what twilio-node's
 * RequestClient does over axios (lib/base/RequestClient.js in twilio 6.2), without axios's
 * per-request machinery (config merging, header objects, interceptors, transforms), which
 * was a tenth of the server's CPU in a mass disconnect. Same request on the wire: Basic (or
 * the auth strategy's) Authorization, the client's headers, parameters and form bodies with
 * arrays as repeated keys (qs `arrayFormat: 'repeat'`), JSON bodies as JSON, no redirects,
 * every status answered (the client turns non-2xx into RestException). Same failures: a
 * socket idle past the timeout is destroyed with axios's `ECONNABORTED` "timeout of N ms
 * exceeded", and network errors keep Node's codes (errors.ts tells sent from not sent by
 * them). The body comes back as text: twilio-node parses text and objects alike.
 */
import http from 'node:http';
import https from 'node:https';

/** What the client hands its HTTP layer (RequestClient.RequestOptions), as used here. */
export interface TransportRequest {
  method: string;
  uri: string;
  headers: Record<string, string>;
  params?: object | undefined;
  data?: unknown;
  timeoutMs: number;
}

export interface TransportResponse {
  statusCode: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** Keep-alive sockets, one pool per scheme, as RequestClient's https.Agent keeps them. */
export interface TransportAgents {
  http: http.Agent;
  https: https.Agent;
}

export function transportAgents(maxSockets: number): TransportAgents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets }),
  };
}

/** One value as qs writes it: null as empty, anything else as its string. */
function text(value: unknown): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean | bigint);
}

/**
 * `key=value&...`, percent-encoded, an array's items as repeated keys and undefined left out:
 * qs.stringify(values, { arrayFormat: 'repeat' }) for the flat objects twilio-node sends
 * (its serializers turn dates, booleans and nested objects into strings first).
 */
export function formEncode(values: object): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item === undefined) continue;
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(text(item))}`);
    }
  }
  return pairs.join('&');
}

/** The body RequestClient would send: form or JSON by Content-Type, else none. */
function bodyOf(request: TransportRequest): string | null {
  if (request.data === undefined || request.data === null) return null;
  const type = request.headers['Content-Type'];
  if (type === 'application/x-www-form-urlencoded') return formEncode(request.data);
  if (type === 'application/json') return JSON.stringify(request.data);
  return null;
}

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`timeout of ${ms}ms exceeded`), { code: 'ECONNABORTED' });
}

/** What axios asks for when the client names nothing (a DELETE): the same Accept header. */
const AXIOS_ACCEPT = 'application/json, text/plain, */*';

export function send(
  request: TransportRequest,
  agents: TransportAgents,
): Promise<TransportResponse> {
  const url = new URL(request.uri);
  const query = request.params === undefined ? '' : formEncode(request.params);
  if (query !== '') url.search = url.search === '' ? query : `${url.search.slice(1)}&${query}`;
  const body = bodyOf(request);
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = { Accept: AXIOS_ACCEPT, ...request.headers };
  if (body !== null) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const options = {
      method: request.method.toUpperCase(),
      headers,
      timeout: request.timeoutMs,
    };
    const onResponse = (response: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () =>
        resolve({
          statusCode: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: response.headers,
        }),
      );
    };
    const outgoing = secure
      ? https.request(url, { ...options, agent: agents.https }, onResponse)
      : http.request(url, { ...options, agent: agents.http }, onResponse);
    outgoing.once('timeout', () => outgoing.destroy(timeoutError(request.timeoutMs)));
    outgoing.once('error', reject);
    outgoing.end(body ?? undefined);
  });
}
