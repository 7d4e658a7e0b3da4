import type { FlexManager } from './types.ts';

/**
 * Adds Lifeline's texts to Flex's strings, keeping any the account already set (a
 * translation or a reworded line wins). Assigning `manager.strings` is what compiles them
 * into Flex's templates (bundle `"strings",{...set:function(e){...initWithStrings(e)}`).
 */
export function registerStrings(manager: FlexManager, defaults: Record<string, string>): void {
  manager.strings = { ...defaults, ...(manager.strings ?? {}) };
}

/** A Flex string by key, with the default as fallback. */
export function text(manager: FlexManager, key: string, fallback: string): string {
  const value = (manager.strings as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value !== '' ? value : fallback;
}
