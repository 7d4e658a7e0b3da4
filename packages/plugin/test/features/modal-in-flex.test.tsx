import { act, fireEvent, render, screen } from '@testing-library/react';
import { copy } from '@lifeline/machine';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecoveryModal } from '../../src/features/recovery-modal/RecoveryModal.tsx';
import { modalLines, modalStrings } from '../../src/features/recovery-modal/strings.ts';
import type { FakeTheme } from '../fakes/flex-ui.ts';
import { lightTheme } from '../fakes/flex-ui.ts';
import { startPlugin, voiceTask } from '../fixtures/plugin.ts';
import { reportAt } from '../fixtures/snapshots.ts';

/** Item 7 of issue 10: a modal that belongs in Flex. */
const darkTheme: FakeTheme = {
  tokens: {
    ...lightTheme.tokens,
    backgroundColors: {
      ...lightTheme.tokens.backgroundColors,
      colorBackgroundBody: '#121c2d',
      colorBackgroundPrimary: '#99cdff',
    },
    textColors: { ...lightTheme.tokens.textColors, colorText: '#f4f4f6' },
    borderColors: { ...lightTheme.tokens.borderColors, colorBorderWarning: '#ffb37a' },
  },
};

const tick = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });

describe('the modal in Flex: theme and strings (recovery-modal)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("takes its colours from Flex's theme through withTheme (a dark theme applies)", async () => {
    const plugin = startPlugin({
      theme: darkTheme,
      seed: [voiceTask({ status: 'wrapping' })],
      recovery: reportAt('pinging', 1),
    });
    render(<>{plugin.rendered}</>);
    await tick(0);
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.style.background).toBe('rgb(18, 28, 45)');
    expect(dialog.style.color).toBe('rgb(244, 244, 246)');
    expect(dialog.style.borderTop).toContain('rgb(255, 179, 122)');
  });

  it("falls back to Paste's defaults for tokens a theme lacks", () => {
    render(
      <RecoveryModal copy={copy.abandoned.modal} state="abandoned" onDismiss={() => undefined} />,
    );
    expect(screen.getByRole('dialog').style.background).toBe('rgb(255, 255, 255)');
  });

  it("registers its words as Flex strings and shows the account's wording", async () => {
    const plugin = startPlugin({
      strings: {
        LifelineRecoveryPingingTitle: 'Nous vérifions votre retour',
        LifelineRecoveryPausedNote: 'Clôture suspendue.',
      },
      seed: [voiceTask({ status: 'wrapping' })],
      recovery: reportAt('pinging', 1),
    });
    // Defaults registered for translators, the account's own kept.
    expect(plugin.manager.strings['LifelineRecoveryPingingBody']).toBe(copy.pinging.modal.body);
    expect(plugin.manager.strings['LifelineRecoveryPingingTitle']).toBe(
      'Nous vérifions votre retour',
    );
    render(<>{plugin.rendered}</>);
    await tick(0);
    const dialog = screen.getByRole('alertdialog', { name: 'Nous vérifions votre retour' });
    expect(dialog.textContent).toContain('Clôture suspendue.');
    expect(dialog.textContent).toContain(copy.pinging.modal.body);
  });
});

describe('plain agent language (recovery-modal copy)', () => {
  it('says no product jargon and nothing that contradicts itself', () => {
    const words = Object.values(modalStrings);
    expect(words.length).toBeGreaterThan(Object.keys(modalLines).length);
    for (const line of words) {
      expect(line).not.toMatch(/lifeline|recovery ping|ping/i);
      expect(line).not.toMatch(/if it is not|accepted for you/i);
    }
  });
});

describe('while blocking, the rest of Flex is out of reach (recovery-modal)', () => {
  let flexDesk: HTMLElement;
  let shortcut: ReturnType<typeof vi.fn<(event: KeyboardEvent) => void>>;
  beforeEach(() => {
    flexDesk = document.createElement('main');
    flexDesk.innerHTML = '<button type="button">Flex button</button>';
    document.body.appendChild(flexDesk);
    shortcut = vi.fn<(event: KeyboardEvent) => void>();
    // Flex binds its keyboard shortcuts on the document.
    document.addEventListener('keydown', shortcut);
  });
  afterEach(() => {
    document.removeEventListener('keydown', shortcut);
    flexDesk.remove();
  });

  it('makes Flex inert, keeps focus in the dialog and turns Flex shortcuts off; undone when it stops blocking', () => {
    const { rerender } = render(
      <RecoveryModal copy={copy.pinging.modal} state="pinging" onDismiss={() => undefined} />,
    );
    const dialog = screen.getByRole('alertdialog');
    expect(flexDesk.hasAttribute('inert')).toBe(true);
    expect(flexDesk.getAttribute('aria-hidden')).toBe('true');
    // Focus that lands outside comes back.
    flexDesk.querySelector('button')?.focus();
    expect(dialog.contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.body, { key: 'a', ctrlKey: true, shiftKey: true });
    fireEvent.keyDown(dialog, { key: '1', ctrlKey: true, shiftKey: true });
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(shortcut).not.toHaveBeenCalled();
    expect(dialog.contains(document.activeElement)).toBe(true);

    rerender(
      <RecoveryModal copy={copy.abandoned.modal} state="abandoned" onDismiss={() => undefined} />,
    );
    expect(flexDesk.hasAttribute('inert')).toBe(false);
    expect(flexDesk.hasAttribute('aria-hidden')).toBe(false);
    fireEvent.keyDown(document.body, { key: 'a', ctrlKey: true, shiftKey: true });
    expect(shortcut).toHaveBeenCalledTimes(1);
  });

  it('shows where focus is (a focus-visible ring from the theme), never outline: none', () => {
    render(
      <RecoveryModal copy={copy.abandoned.modal} state="abandoned" onDismiss={() => undefined} />,
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog.style.outline).toBe('');
    const css = document.querySelector('[data-lifeline-modal] style')?.textContent ?? '';
    expect(css).toMatch(/:focus-visible[^{]*\{[^}]*outline: 2px solid #0263e0/);
  });

  it('shows progress while the agent waits, and none once it is over', () => {
    for (const state of ['disconnected', 'pinging', 'reconnecting', 'redialing'] as const) {
      const { unmount } = render(
        <RecoveryModal copy={copy[state].modal} state={state} onDismiss={() => undefined} />,
      );
      expect(screen.getByRole('progressbar', { name: 'Waiting' })).toBeTruthy();
      expect(document.querySelector(`[data-state="${state}"]`)?.getAttribute('aria-busy')).toBe(
        'true',
      );
      unmount();
    }
    render(
      <RecoveryModal copy={copy.recovered.modal} state="recovered" onDismiss={() => undefined} />,
    );
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
