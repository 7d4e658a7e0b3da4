import { createHash } from 'node:crypto';
import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { validBodySignature, validFormSignature } from '../../src/webhooks/signatures.ts';

const TOKEN = 'secret-auth-token';

/** URLs as the webhook scope builds them, and the variants twilio-node tries for each. */
const urls = [
  'https://lifeline.example.com/webhooks/conference-status',
  'https://lifeline.example.com:443/webhooks/conference-status',
  'https://Lifeline.Example.com:8443/webhooks/enqueue-ended?conferenceSid=CF0123',
  'http://lifeline.example.com/webhooks/taskrouter-events?bodySHA256=abc&x=1',
  "https://lifeline.example.com/webhooks/enqueue-ended?name=O'Brien&space=a%20b",
  'https://user:pw@lifeline.example.com/webhooks/conference-status?q=caf%C3%A9',
  'https://[::1]:3000/webhooks/conference-status?a=1&a=2',
  'https://lifeline.example.com/webhooks/enqueue-ended?x=a+b',
];

/** Every URL a signature could have been made for: the variants twilio-node accepts, and not. */
function signedFor(url: string): string[] {
  const normalized = new URL(url).toString();
  return [
    url,
    normalized,
    url.replace(/(\/\/[^/]*?)(:\d+)?\//, '$1/'),
    url.replace(/(\/\/[^/:]*?)\//, url.startsWith('https') ? '$1:443/' : '$1:80/'),
    normalized.replace(/'/g, '%27'),
    url.replace('lifeline', 'elsewhere'),
    `${url}/`,
  ];
}

const params: Record<string, string | string[]> = {
  ConferenceSid: 'CF0123',
  StatusCallbackEvent: 'participant-hold',
  Hold: 'true',
  Repeated: ['b', 'a', 'b'],
  Empty: '',
};

describe('X-Twilio-Signature (form)', () => {
  it("gives twilio-node's verdict for every URL variant a signature was made for", () => {
    for (const url of urls) {
      for (const signed of signedFor(url)) {
        const signature = twilio.getExpectedTwilioSignature(TOKEN, signed, params);
        expect(validFormSignature(TOKEN, signature, url, params), `${signed} for ${url}`).toBe(
          twilio.validateRequest(TOKEN, signature, url, params),
        );
      }
    }
  });

  it("gives twilio-node's verdict for any parameters and signature", () => {
    const value = fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), value),
        fc.constantFrom(...urls),
        fc.boolean(),
        fc.string(),
        (form, url, genuine, junk) => {
          const signature = genuine ? twilio.getExpectedTwilioSignature(TOKEN, url, form) : junk;
          const expected = signature !== '' && twilio.validateRequest(TOKEN, signature, url, form);
          expect(validFormSignature(TOKEN, signature, url, form)).toBe(expected);
          if (genuine) expect(expected).toBe(true);
        },
      ),
    );
  });

  it('refuses a missing, empty or wrong signature, and another token', () => {
    const url = urls[0] ?? '';
    const good = twilio.getExpectedTwilioSignature(TOKEN, url, params);
    expect(validFormSignature(TOKEN, good, url, params)).toBe(true);
    expect(validFormSignature(TOKEN, undefined, url, params)).toBe(false);
    expect(validFormSignature(TOKEN, '', url, params)).toBe(false);
    expect(validFormSignature(TOKEN, good.slice(1), url, params)).toBe(false);
    expect(validFormSignature('other-token', good, url, params)).toBe(false);
    expect(validFormSignature(TOKEN, good, url, { ...params, Hold: 'false' })).toBe(false);
  });

  it('ignores parameters that are undefined, as the request had none', () => {
    const url = urls[0] ?? '';
    const good = twilio.getExpectedTwilioSignature(TOKEN, url, { A: '1' });
    expect(validFormSignature(TOKEN, good, url, { A: '1', B: undefined })).toBe(true);
  });
});

describe('X-Twilio-Signature (Event Streams body)', () => {
  const body = '[{"type":"com.twilio.taskrouter.task.created"}]';
  const hash = createHash('sha256').update(body).digest('hex');

  it("gives twilio-node's verdict", () => {
    for (const base of ['https://lifeline.example.com', 'https://lifeline.example.com:443']) {
      const url = `${base}/webhooks/taskrouter-events?bodySHA256=${hash}`;
      for (const signed of signedFor(url)) {
        const signature = twilio.getExpectedTwilioSignature(TOKEN, signed, {});
        for (const raw of [body, `${body} `]) {
          expect(validBodySignature(TOKEN, signature, url, raw), `${signed} ${raw}`).toBe(
            twilio.validateRequestWithBody(TOKEN, signature, url, raw),
          );
        }
      }
    }
  });

  it('refuses a URL without bodySHA256, or an unparsable one', () => {
    const url = 'https://lifeline.example.com/webhooks/taskrouter-events';
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, {});
    expect(validBodySignature(TOKEN, signature, url, body)).toBe(false);
    expect(validBodySignature(TOKEN, signature, 'not a url', body)).toBe(false);
    expect(validBodySignature(TOKEN, undefined, `${url}?bodySHA256=${hash}`, body)).toBe(false);
  });
});
