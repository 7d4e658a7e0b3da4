import { apiErrors } from '../errors.ts';
import { eventWords } from '../twiml.ts';
import type { StatusCallback } from '../world/records.ts';

/** Form or query fields as fastify hands them over: repeated keys become arrays. */
export type Fields = Record<string, string | string[] | undefined>;

export function toFields(value: unknown): Fields {
  if (typeof value !== 'object' || value === null) return {};
  const fields: Fields = {};
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw === 'string') fields[key] = raw;
    else if (Array.isArray(raw))
      fields[key] = raw.filter((v): v is string => typeof v === 'string');
  }
  return fields;
}

export function str(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function list(fields: Fields, name: string): string[] {
  const value = fields[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Twilio accepts true/false in any case. */
export function bool(fields: Fields, name: string): boolean | undefined {
  const value = str(fields, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw apiErrors.invalid(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

export function int(fields: Fields, name: string): number | undefined {
  const value = str(fields, name);
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n))
    throw apiErrors.invalid(`${name} must be an integer, got ${JSON.stringify(value)}`);
  return n;
}

/** The callback `name` (its URL), `${name}Method` and `${name}Event` give; null without a URL. */
export function callback(fields: Fields, name: string): StatusCallback | null {
  const url = str(fields, name);
  if (url === undefined) return null;
  return {
    url,
    method: str(fields, `${name}Method`) ?? 'POST',
    events: eventWords(list(fields, `${name}Event`)),
  };
}
