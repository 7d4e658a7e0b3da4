import type { RefObject } from 'react';
import { useEffect } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Moves focus to the next (or previous) focusable element of the dialog, wrapping around. */
export function cycleFocus(dialog: HTMLElement, backwards: boolean): void {
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  if (items.length === 0) {
    dialog.focus();
    return;
  }
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next = backwards ? (at <= 0 ? items.length - 1 : at - 1) : (at + 1) % items.length;
  items[next]?.focus();
}

export function firstFocusable(dialog: HTMLElement): HTMLElement {
  return dialog.querySelector<HTMLElement>(FOCUSABLE) ?? dialog;
}

/**
 * While a recovery blocks, the rest of Flex is out of reach: every other child of the body
 * is `inert` (and aria-hidden, for screen readers without inert), focus that lands outside
 * returns to the dialog, and keys never reach Flex: a capture-phase keydown listener on
 * window handles Tab inside the dialog itself and stops every key there, so Flex's keyboard
 * shortcuts (bound on the document) do not fire. Everything is undone when it stops blocking.
 */
export function useBlockFlex(
  dialog: RefObject<HTMLElement>,
  portal: HTMLElement | null,
  blocking: boolean,
): void {
  useEffect(() => {
    if (!blocking || portal === null) return undefined;
    const hidden: { element: Element; inert: string | null; ariaHidden: string | null }[] = [];
    for (const element of [...document.body.children]) {
      if (element === portal || element.contains(portal)) continue;
      hidden.push({
        element,
        inert: element.getAttribute('inert'),
        ariaHidden: element.getAttribute('aria-hidden'),
      });
      element.setAttribute('inert', '');
      element.setAttribute('aria-hidden', 'true');
    }
    const inside = (target: EventTarget | null) =>
      target instanceof Node && dialog.current !== null && dialog.current.contains(target);
    const onKeyDown = (event: KeyboardEvent) => {
      const node = dialog.current;
      if (event.key === 'Tab' && node !== null) {
        event.preventDefault();
        cycleFocus(node, event.shiftKey);
      } else if (!inside(event.target)) {
        event.preventDefault();
      }
      // Enter and Space on the dialog's own button still click it (a default action).
      event.stopPropagation();
    };
    const onFocusIn = (event: FocusEvent) => {
      if (!inside(event.target) && dialog.current !== null) firstFocusable(dialog.current).focus();
    };
    window.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn, true);
      for (const { element, inert, ariaHidden } of hidden) {
        if (inert === null) element.removeAttribute('inert');
        else element.setAttribute('inert', inert);
        if (ariaHidden === null) element.removeAttribute('aria-hidden');
        else element.setAttribute('aria-hidden', ariaHidden);
      }
    };
  }, [dialog, portal, blocking]);
}
