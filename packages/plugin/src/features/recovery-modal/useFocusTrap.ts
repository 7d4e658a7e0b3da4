import type { KeyboardEvent, RefObject } from 'react';
import { useCallback, useEffect } from 'react';
import { cycleFocus, firstFocusable } from './useBlockFlex.ts';

/**
 * Moves focus into the dialog when it opens (aria-modal alone does not) and gives it back
 * to whatever had it when the dialog closes. A dialog that does not block keeps Tab within
 * itself and closes with Escape; a blocking one has its keys handled by useBlockFlex.
 */
export function useFocusTrap(ref: RefObject<HTMLElement>, onEscape: (() => void) | null) {
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    if (ref.current !== null) firstFocusable(ref.current).focus();
    return () => previous?.focus?.();
  }, [ref]);

  return useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onEscape?.();
        return;
      }
      if (event.key !== 'Tab' || ref.current === null) return;
      event.preventDefault();
      cycleFocus(ref.current, event.shiftKey);
    },
    [ref, onEscape],
  );
}
