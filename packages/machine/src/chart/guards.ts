/**
 * Readable names for XState guards: a named guard is its name, and the combinators
 * and()/or()/not() (functions carrying `.guards`) are spelled out in words, since
 * Mermaid edge labels do not take `&&` or `!` well.
 */
export function describeGuard(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') {
    return guard.type;
  }
  if (typeof guard === 'function') {
    const parts = 'guards' in guard && Array.isArray(guard.guards) ? guard.guards : null;
    if (parts !== null) {
      const inner = parts.map((part: unknown) => nested(part));
      if (guard.name === 'not') return `not ${inner.join(' ')}`;
      if (guard.name === 'and') return inner.join(' and ');
      if (guard.name === 'or') return inner.join(' or ');
    }
    return guard.name !== '' ? guard.name : 'inline guard';
  }
  return 'inline guard';
}

/** Parenthesises compound sub-expressions so `and` inside `or` stays unambiguous. */
function nested(guard: unknown): string {
  const text = describeGuard(guard) ?? 'true';
  return /\s/.test(text) && !text.startsWith('not ') ? `(${text})` : text;
}
