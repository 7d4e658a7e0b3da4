import type { CSSProperties } from 'react';
import type { ModalTone } from '@lifeline/machine';

/**
 * Plain styled elements with the values of Twilio Paste's default theme tokens (the theme
 * Flex UI 2.x renders with). Paste's own Modal would have to be bundled into the plugin
 * (Flex does not hand Paste to plugins at runtime) and costs far more than the 40 KB budget.
 */
export const tokens = {
  colorBackgroundBody: '#ffffff',
  colorBackgroundOverlay: 'rgba(18, 28, 45, 0.5)',
  colorBackgroundPrimary: '#0263e0',
  colorText: '#121c2d',
  colorTextWeak: '#606b85',
  colorTextInverse: '#ffffff',
  colorBorderWeaker: '#e1e3ea',
  borderRadius30: '8px',
  borderRadius20: '4px',
  shadowHigh: '0 16px 24px 4px rgba(18, 28, 45, 0.2)',
  shadowFocus: '0 0 0 4px rgba(2, 99, 224, 0.7)',
  fontFamilyText:
    "'Inter var experimental', 'Inter var', 'Inter', -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Oxygen-Sans, Ubuntu, Cantarell, 'Helvetica Neue', sans-serif",
  fontSize30: '0.875rem',
  fontSize60: '1.25rem',
  fontWeightSemibold: 600,
  space40: '0.75rem',
  space60: '1.25rem',
  space70: '1.5rem',
  zIndexModal: 10_000,
} as const;

/** Paste's border colours for the tones the statechart's copy uses. */
export const toneColor: Record<ModalTone, string> = {
  info: '#0263e0',
  warning: '#f47c22',
  success: '#14b053',
  error: '#d61f1f',
};

export const styles = {
  overlay: {
    position: 'fixed',
    inset: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    background: tokens.colorBackgroundOverlay,
    zIndex: tokens.zIndexModal,
  },
  dialog: {
    width: 'min(32rem, calc(100vw - 2rem))',
    background: tokens.colorBackgroundBody,
    color: tokens.colorText,
    borderRadius: tokens.borderRadius30,
    boxShadow: tokens.shadowHigh,
    fontFamily: tokens.fontFamilyText,
    fontSize: tokens.fontSize30,
    lineHeight: 1.5,
    padding: tokens.space70,
    outline: 'none',
  },
  title: { margin: 0, fontSize: tokens.fontSize60, fontWeight: tokens.fontWeightSemibold },
  body: { margin: `${tokens.space40} 0 0` },
  note: { margin: `${tokens.space40} 0 0`, color: tokens.colorTextWeak },
  footer: {
    display: 'flex',
    justifyContent: 'flex-end',
    gap: tokens.space40,
    marginTop: tokens.space60,
  },
  button: {
    border: 'none',
    borderRadius: tokens.borderRadius20,
    padding: `0.5rem ${tokens.space40}`,
    background: tokens.colorBackgroundPrimary,
    color: tokens.colorTextInverse,
    fontFamily: 'inherit',
    fontSize: tokens.fontSize30,
    fontWeight: tokens.fontWeightSemibold,
    cursor: 'pointer',
  },
} satisfies Record<string, CSSProperties>;
