import { act, fireEvent, render, screen } from '@testing-library/react';
import { copy } from '@lifeline/machine';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecoveryModal } from '../../src/features/recovery-modal/RecoveryModal.tsx';
import { startPlugin, voiceTask } from '../fixtures/plugin.ts';
import { PING_RESERVATION, PING_TASK, SERVER, WORKER } from '../fixtures/sids.ts';
import { reportAt } from '../fixtures/snapshots.ts';

describe('RecoveryModal', () => {
  it('is an accessible modal dialog whose updates are announced politely', () => {
    render(<RecoveryModal copy={copy.pinging.modal} state="pinging" onDismiss={() => undefined} />);
    const dialog = screen.getByRole('alertdialog', { name: 'Checking that you are back' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.getAttribute('aria-describedby')).toBe('lifeline-recovery-body');
    const live = dialog.querySelector('[aria-live="polite"]');
    expect(live?.textContent).toContain(copy.pinging.modal.body);
    expect(document.activeElement).toBe(dialog);
  });

  it('offers no way out while blocking: no button, Escape and Tab stay put', () => {
    const onDismiss = vi.fn();
    render(
      <RecoveryModal copy={copy.disconnected.modal} state="disconnected" onDismiss={onDismiss} />,
    );
    const dialog = screen.getByRole('alertdialog');
    expect(screen.queryByRole('button')).toBeNull();
    expect(dialog.textContent).toMatch(/Wrap-up and complete are paused/);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(onDismiss).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(dialog);
  });

  it('traps focus on its button and closes with it or Escape when not blocking', () => {
    const onDismiss = vi.fn();
    const outside = document.createElement('button');
    document.body.appendChild(outside);
    outside.focus();
    const { unmount } = render(
      <RecoveryModal copy={copy.abandoned.modal} state="abandoned" onDismiss={onDismiss} />,
    );
    const button = screen.getByRole('button', { name: 'OK' });
    expect(document.activeElement).toBe(button);
    fireEvent.keyDown(button, { key: 'Tab' });
    expect(document.activeElement).toBe(button);
    fireEvent.keyDown(button, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(button);
    fireEvent.keyDown(button, { key: 'Escape' });
    fireEvent.click(button);
    expect(onDismiss).toHaveBeenCalledTimes(2);
    unmount();
    expect(document.activeElement).toBe(outside);
    outside.remove();
  });
});

/** Runs timers and promise callbacks inside act(), as React wants for state updates. */
const tick = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });

describe('RecoveryModalHost in Flex (recovery-modal)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('follows the server snapshots from the drop to "back with the customer", then closes', async () => {
    const plugin = startPlugin({
      seed: [voiceTask({ status: 'wrapping' })],
      recovery: reportAt('pinging', 1),
    });
    expect(plugin.rendered).toHaveLength(1);
    render(<>{plugin.rendered}</>);
    await tick(0);
    expect(screen.getByRole('alertdialog').textContent).toContain('Checking that you are back');

    act(() => plugin.streams.last()?.send(reportAt('reconnecting', 2)));
    expect(
      screen.getByRole('alertdialog', { name: 'Reconnecting you to the customer' }),
    ).toBeTruthy();

    act(() => plugin.streams.last()?.send(reportAt('recovered', 3)));
    expect(screen.getByRole('dialog', { name: 'Back with the customer' }).dataset['tone']).toBe(
      'success',
    );
    await tick(4_000);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('lets the agent close a failure state', async () => {
    const plugin = startPlugin({
      seed: [voiceTask({ status: 'wrapping' })],
      recovery: reportAt('abandoned', 5),
    });
    render(<>{plugin.rendered}</>);
    await tick(0);
    expect(screen.getByRole('dialog', { name: 'The customer hung up' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('offers to accept the Recovery Ping when auto-accept is off (the modal covers the task list)', async () => {
    const ping = voiceTask({
      taskSid: PING_TASK,
      sid: PING_RESERVATION,
      taskChannelUniqueName: 'default',
      attributes: { name: 'Recovery Ping', disconnectedWorkerSid: WORKER },
    });
    const plugin = startPlugin({
      lifeline: { serverUrl: SERVER, autoAcceptPing: false },
      seed: [voiceTask({ status: 'wrapping' }), ping],
      recovery: reportAt('pinging', 1),
    });
    render(<>{plugin.rendered}</>);
    await tick(0);
    const accept = screen.getByRole('button', { name: 'I am back' });
    expect(document.activeElement).toBe(accept);
    fireEvent.click(accept);
    await tick(0);
    expect(plugin.flex.Actions.invocations.map((i) => [i.name, i.payload['sid']])).toContainEqual([
      'AcceptTask',
      PING_RESERVATION,
    ]);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByRole('alertdialog', { name: 'Checking that you are back' })).toBeTruthy();
  });
});
