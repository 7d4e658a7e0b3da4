const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const months = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * RFC 2822 as the 2010 API and the voice callbacks write it: `Tue, 25 Nov 2025 17:32:00 +0000`
 * (Date#toUTCString ends in "GMT", which Twilio does not use).
 */
export function rfc2822(ms: number): string {
  const d = new Date(ms);
  return (
    `${days[d.getUTCDay()]}, ${two(d.getUTCDate())} ${months[d.getUTCMonth()]} ` +
    `${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:` +
    `${two(d.getUTCSeconds())} +0000`
  );
}

/** ISO 8601 without milliseconds, as TaskRouter resources write dates: `2025-11-25T17:32:00Z`. */
export function iso8601(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** ISO 8601 with milliseconds, as Event Streams payloads write timestamps. */
export function iso8601Ms(ms: number): string {
  return new Date(ms).toISOString();
}

export function rfc2822OrNull(ms: number | null): string | null {
  return ms === null ? null : rfc2822(ms);
}

export function iso8601OrNull(ms: number | null): string | null {
  return ms === null ? null : iso8601(ms);
}
