/**
 * Twilio's connection overrides: a voice webhook URL may end in a fragment such as
 * `#rc=3&rp=all&rt=2000` choosing retries, retry policy and timeouts. The fragment never
 * leaves Twilio: it is cut off before the request is sent and signed.
 */
export interface ConnectionOverrides {
  /** Retry count (Twilio's default: 1). */
  retries: number;
  /** Which failures are retried: `ct` (connect), `rt` (read timeout), `4xx`, `5xx` (default: ct). */
  policy: Set<string>;
  /** Read timeout in ms, when given. */
  readTimeoutMs: number | null;
}

export function splitOverrides(url: string): { url: string; overrides: ConnectionOverrides } {
  const hash = url.indexOf('#');
  const bare = hash < 0 ? url : url.slice(0, hash);
  const fragment = new URLSearchParams(hash < 0 ? '' : url.slice(hash + 1));
  const rc = Number(fragment.get('rc') ?? '1');
  const rt = fragment.get('rt');
  const rp = (fragment.get('rp') ?? 'ct').split(',').map((p) => p.trim());
  const policy = new Set(rp.includes('all') ? ['ct', 'rt', '4xx', '5xx'] : rp);
  return {
    url: bare,
    overrides: {
      retries: Number.isInteger(rc) && rc >= 0 ? Math.min(rc, 5) : 1,
      policy,
      readTimeoutMs: rt === null || Number.isNaN(Number(rt)) ? null : Number(rt),
    },
  };
}
