/** Malformed input from Twilio or the plugin: names the field so the 400 says what is wrong. */
export class PayloadError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'PayloadError';
  }
}

export type FormFields = Record<string, string | string[] | undefined>;

export function requiredString(fields: FormFields, name: string): string {
  const value = fields[name];
  if (Array.isArray(value)) throw new PayloadError(name, 'must appear once');
  if (value === undefined || value === '') throw new PayloadError(name, 'is required');
  return value;
}

export function optionalString(fields: FormFields, name: string): string | null {
  const value = fields[name];
  if (Array.isArray(value)) throw new PayloadError(name, 'must appear once');
  return value === undefined || value === '' ? null : value;
}

/** Twilio sends booleans as the strings "true" and "false". */
export function twilioBoolean(fields: FormFields, name: string, fallback: boolean): boolean {
  const value = optionalString(fields, name);
  if (value === null) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new PayloadError(name, `must be "true" or "false", got ${JSON.stringify(value)}`);
}

/** One compiled pattern per SID prefix: parsing runs on every webhook. */
const sidPatterns = new Map<string, RegExp>();

export function sid(value: string, prefix: string, field: string): string {
  let pattern = sidPatterns.get(prefix);
  if (pattern === undefined) {
    pattern = new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
    sidPatterns.set(prefix, pattern);
  }
  if (!pattern.test(value)) {
    throw new PayloadError(field, `must be a ${prefix} SID (${prefix} + 32 hex digits)`);
  }
  return value;
}

export function timestamp(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new PayloadError(field, `is not a date: ${JSON.stringify(value)}`);
  return ms;
}
