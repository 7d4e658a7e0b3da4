import type { CSSProperties } from 'react';
import type { ModalTone } from '@lifeline/machine';

/**
 * The modal's colours come from Flex's theme (`withTheme` hands it in as `theme`; Flex UI 2.x
 * themes carry Twilio Paste's tokens under `theme.tokens`), so a dark theme or an account's
 * overrides apply. Paste's default values stand in for any token a theme lacks. Paste's own
 * Modal would have to be bundled (Flex does not hand Paste to plugins) and cost far more than
 * the 40 KB budget; plain elements with the theme's tokens cost nothing.
 */
const defaults = {
  colorBackgroundBody: '#ffffff',
  colorBackgroundOverlay: 'rgba(18, 28, 45, 0.5)',
  colorBackgroundPrimary: '#0263e0',
  colorBackgroundStrong: '#e1e3ea',
  colorText: '#121c2d',
  colorTextWeak: '#606b85',
  colorTextInverse: '#ffffff',
  colorBorderPrimary: '#0263e0',
  colorBorderWarning: '#f47c22',
  colorBorderSuccess: '#14b053',
  colorBorderError: '#d61f1f',
  shadowHigh: '0 16px 24px 4px rgba(18, 28, 45, 0.2)',
  shadowFocus: '0 0 0 4px rgba(2, 99, 224, 0.7)',
};
export type ModalTokens = typeof defaults;

const groups = ['backgroundColors', 'textColors', 'borderColors', 'boxShadows'] as const;

/** The tokens the modal uses, read from a Flex theme (unknown shape: checked field by field). */
export function themeTokens(theme: unknown): ModalTokens {
  const tokens = (theme as { tokens?: Record<string, unknown> } | undefined)?.tokens ?? {};
  const found: Record<string, string> = {};
  for (const group of groups) {
    const values = tokens[group];
    if (typeof values !== 'object' || values === null) continue;
    for (const [key, value] of Object.entries(values))
      if (typeof value === 'string') found[key] = value;
  }
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof ModalTokens)[])
    if (found[key] !== undefined) out[key] = found[key];
  return out;
}

export const toneBorder: Record<ModalTone, keyof ModalTokens> = {
  info: 'colorBorderPrimary',
  warning: 'colorBorderWarning',
  success: 'colorBorderSuccess',
  error: 'colorBorderError',
};

const fontFamily =
  "'Inter var experimental', 'Inter var', 'Inter', -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Oxygen-Sans, Ubuntu, Cantarell, 'Helvetica Neue', sans-serif";
const space40 = '0.75rem';

export function modalStyles(t: ModalTokens) {
  return {
    overlay: {
      position: 'fixed',
      inset: 0,
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      background: t.colorBackgroundOverlay,
      zIndex: 10_000,
    },
    dialog: {
      width: 'min(32rem, calc(100vw - 2rem))',
      background: t.colorBackgroundBody,
      color: t.colorText,
      borderRadius: '8px',
      boxShadow: t.shadowHigh,
      fontFamily,
      fontSize: '0.875rem',
      lineHeight: 1.5,
      padding: '1.5rem',
    },
    title: { margin: 0, fontSize: '1.25rem', fontWeight: 600 },
    body: { margin: `${space40} 0 0` },
    note: { margin: `${space40} 0 0`, color: t.colorTextWeak },
    progress: {
      position: 'relative',
      overflow: 'hidden',
      height: '4px',
      marginTop: space40,
      borderRadius: '2px',
      background: t.colorBackgroundStrong,
    },
    progressBar: {
      position: 'absolute',
      top: 0,
      bottom: 0,
      width: '40%',
      background: t.colorBackgroundPrimary,
      animation: 'lifeline-progress 1.4s ease-in-out infinite',
    },
    footer: { display: 'flex', justifyContent: 'flex-end', gap: space40, marginTop: '1.25rem' },
    button: {
      border: 'none',
      borderRadius: '4px',
      padding: `0.5rem ${space40}`,
      background: t.colorBackgroundPrimary,
      color: t.colorTextInverse,
      fontFamily: 'inherit',
      fontSize: '0.875rem',
      fontWeight: 600,
      cursor: 'pointer',
    },
  } satisfies Record<string, CSSProperties>;
}

/**
 * What inline styles cannot say: a visible focus ring (the theme's focus shadow plus an
 * outline, which forced-colours modes keep) and the indeterminate progress animation.
 */
export const modalCss = (t: ModalTokens) => `
[data-lifeline-modal] :focus-visible, [data-lifeline-modal][tabindex]:focus {
  outline: 2px solid ${t.colorBorderPrimary}; outline-offset: 2px; box-shadow: ${t.shadowFocus};
}
@keyframes lifeline-progress { from { left: -40%; } to { left: 100%; } }
@media (prefers-reduced-motion: reduce) { [data-lifeline-modal] [role=progressbar] > * { animation: none; left: 30%; } }
`;
