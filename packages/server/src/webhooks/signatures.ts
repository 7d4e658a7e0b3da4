import twilio from 'twilio';

/**
 * X-Twilio-Signature checks. The URL is the public one Twilio called (PUBLIC_BASE_URL + the
 * path and query as received), because behind a proxy the server's own view differs.
 */
export function publicUrl(publicBaseUrl: string, requestUrl: string): string {
  return `${publicBaseUrl}${requestUrl}`;
}

export function validFormSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string | string[] | undefined>,
): boolean {
  if (signature === undefined || signature === '') return false;
  const clean: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) clean[key] = value;
  return twilio.validateRequest(authToken, signature, url, clean);
}

/** Event Streams: the URL carries bodySHA256 of the raw body, and the signature covers the URL. */
export function validBodySignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  rawBody: string,
): boolean {
  if (signature === undefined || signature === '') return false;
  if (!new URL(url).searchParams.has('bodySHA256')) return false;
  return twilio.validateRequestWithBody(authToken, signature, url, rawBody);
}
