import type { JsonObject } from '@lifeline/machine';
import { isJsonObject } from '@lifeline/machine';

export type { JsonObject, JsonPrimitive, JsonValue } from '@lifeline/machine';
export { isJsonObject } from '@lifeline/machine';

/** Parses a JSON object text; null when it is not valid JSON or not an object. */
export function parseJsonObject(text: string): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
