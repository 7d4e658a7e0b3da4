/**
 * Customer phone numbers never leave the inspector whole: +15551234567 becomes +1******4567.
 * Anything shaped like an E.164 number (a + and 8 to 15 digits) or a bare run of 10 to 15
 * digits is masked wherever it appears in a string. SIDs are not touched: their digits
 * follow letters, and a number is only matched where no letter or digit touches it.
 */
const PHONE = /(?<![\w+])(\+?)(\d{8,15})(?!\w)/g;

function maskDigits(plus: string, digits: string): string {
  // Bare digit runs shorter than 10 (order numbers, counts) are not phone numbers.
  if (plus === '' && digits.length < 10) return `${plus}${digits}`;
  const keepStart = plus === '' ? 0 : 1;
  const hidden = digits.length - keepStart - 4;
  return `${plus}${digits.slice(0, keepStart)}${'*'.repeat(hidden)}${digits.slice(-4)}`;
}

export function maskPhones(text: string): string {
  return text.replace(PHONE, (_match, plus: string, digits: string) => maskDigits(plus, digits));
}

/** A copy of a JSON value with every string masked (object keys included). */
export function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskPhones(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [maskPhones(key), maskDeep(inner)]),
    );
  }
  return value;
}
