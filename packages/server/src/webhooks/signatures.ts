import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';

/**
 * X-Twilio-Signature checks. The URL is the public one Twilio called (PUBLIC_BASE_URL + the
 * path and query as received), because behind a proxy the server's own view differs.
 *
 * The algorithm and the URLs accepted are twilio-node's `validateRequest` (HMAC-SHA1 of the URL
 * and the sorted POST parameters, base64, compared in constant time; the URL with and without
 * its port, then as `new URL()` normalizes it, then with a legacy query string), but done once
 * per request instead of once per URL: the parameters are joined once, the URL as received is
 * tried first (what Twilio signs, so a genuine callback costs one HMAC), and a URL that
 * another variant repeats is not hashed twice (a bad signature costs two, where twilio-node
 * spent six). `signatures.test.ts` pins the verdicts to twilio-node's.
 */
export function publicUrl(publicBaseUrl: string, requestUrl: string): string {
  return `${publicBaseUrl}${requestUrl}`;
}

type Params = Record<string, string | string[] | undefined>;

/** What Twilio signs after the URL: each name and value, names sorted, a repeated name's distinct values sorted. */
function signedText(params: Params): string {
  let text = '';
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined) continue;
    if (typeof value === 'string') text += name + value;
    else for (const each of [...new Set(value)].sort()) text += name + each;
  }
  return text;
}

function matches(authToken: string, signature: Buffer, data: string): boolean {
  const expected = Buffer.from(createHmac('sha1', authToken).update(data, 'utf8').digest('base64'));
  return expected.length === signature.length && timingSafeEqual(expected, signature);
}

interface UrlParts {
  scheme: string;
  userInfo: string;
  host: string;
  port: string;
  rest: string;
}

/** twilio-node's splitUrl: the parts of a URL as written, nothing normalized. */
function splitUrl(url: string): UrlParts | null {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (match === null) return null;
  const [prefix, scheme = '', authority = ''] = match;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

function withoutPort(url: string): string {
  const parts = splitUrl(url);
  return parts === null ? url : parts.scheme + parts.userInfo + parts.host + parts.rest;
}

function withPort(url: string): string {
  const parts = splitUrl(url);
  if (parts === null || parts.port !== '') return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

function withLegacyQuery(url: string): string {
  const start = url.indexOf('?');
  if (start === -1 || start === url.length - 1) return url;
  return `${url.slice(0, start)}?${stringifyQuery(parseQuery(url.slice(start + 1)))}`;
}

/** The other URLs twilio-node accepts a signature for, after the URL as received. */
function otherUrls(url: string): string[] {
  const urls = [withoutPort(url), withPort(url)];
  let normalized: string;
  try {
    normalized = new URL(url).toString();
  } catch {
    return urls; // twilio-node throws here; no other URL can match
  }
  const bare = withoutPort(normalized);
  const ported = withPort(normalized);
  return [...urls, bare, ported, withLegacyQuery(bare), withLegacyQuery(ported)];
}

/** Whether `signature` signs `url` (or a variant twilio-node accepts) with `params`. */
function validSignature(authToken: string, signature: string, url: string, params: Params) {
  const text = signedText(params);
  const given = Buffer.from(signature);
  if (matches(authToken, given, url + text)) return true;
  const tried = new Set([url]);
  for (const other of otherUrls(url)) {
    if (tried.has(other)) continue;
    tried.add(other);
    if (matches(authToken, given, other + text)) return true;
  }
  return false;
}

export function validFormSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Params,
): boolean {
  if (signature === undefined || signature === '') return false;
  return validSignature(authToken, signature, url, params);
}

/** Event Streams: the URL carries bodySHA256 of the raw body, and the signature covers the URL. */
export function validBodySignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  rawBody: string,
): boolean {
  if (signature === undefined || signature === '') return false;
  let bodyHash: string | null;
  try {
    bodyHash = new URL(url).searchParams.get('bodySHA256');
  } catch {
    return false;
  }
  if (bodyHash === null) return false;
  if (!validSignature(authToken, signature, url, {})) return false;
  const expected = Buffer.from(createHash('sha256').update(rawBody, 'utf8').digest('hex'));
  const given = Buffer.from(bodyHash);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
