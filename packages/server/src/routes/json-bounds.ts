import { PayloadError } from '@lifeline/machine';

/** Attributes deeper or larger than this are refused (400): Flex task attributes are small. */
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_BYTES = 16 * 1024;

/**
 * Refuses a JSON value nested deeper than maxDepth or larger than maxBytes serialized, naming
 * the field. Depth is measured without recursion, so a value nested thousands deep cannot
 * overflow the stack here (nor reach code that would).
 */
export function assertJsonBounds(
  field: string,
  value: unknown,
  maxDepth = MAX_JSON_DEPTH,
  maxBytes = MAX_JSON_BYTES,
): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > maxDepth) {
      throw new PayloadError(field, `is nested deeper than ${maxDepth} levels`);
    }
    for (const child of Object.values(next.value)) {
      stack.push({ value: child, depth: next.depth + 1 });
    }
  }
  if (Buffer.byteLength(JSON.stringify(value)) > maxBytes) {
    throw new PayloadError(field, `is larger than ${maxBytes} bytes as JSON`);
  }
}
