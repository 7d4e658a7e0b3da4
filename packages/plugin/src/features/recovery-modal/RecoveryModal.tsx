import type { ModalCopy } from '@lifeline/machine';
import { useRef } from 'react';
import { styles, toneColor } from './tokens.ts';
import { useFocusTrap } from './useFocusTrap.ts';

export interface RecoveryModalProps {
  copy: ModalCopy;
  /** The recovery's state name, for styling hooks and tests (data-state). */
  state: string;
  onDismiss: () => void;
  /** A recovery task the agent can accept from here (the modal covers the task list). */
  action?: { label: string; onClick: () => void } | null;
}

const BLOCKING_NOTE = 'Wrap-up and complete are paused for this call until Lifeline is done.';

/**
 * The agent's view of a recovery: only the statechart's copy for the current state. A
 * blocking state offers no way out (the agent must not leave the customer); the others can
 * be closed, and `recovered` also closes by itself (the controller times it).
 */
export function RecoveryModal({ copy, state, onDismiss, action = null }: RecoveryModalProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const onKeyDown = useFocusTrap(dialog, copy.blocking ? null : onDismiss);
  return (
    <div style={styles.overlay} data-testid="lifeline-overlay">
      <div
        ref={dialog}
        // A blocking state asks for the agent's attention and offers no way out.
        role={copy.blocking ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby="lifeline-recovery-title"
        aria-describedby="lifeline-recovery-body"
        tabIndex={-1}
        data-state={state}
        data-tone={copy.tone}
        onKeyDown={onKeyDown}
        style={{ ...styles.dialog, borderTop: `6px solid ${toneColor[copy.tone]}` }}
      >
        {/* One polite live region: each new state's copy is announced as it arrives. */}
        <div aria-live="polite" aria-atomic="true">
          <h2 id="lifeline-recovery-title" style={styles.title}>
            {copy.title}
          </h2>
          <p id="lifeline-recovery-body" style={styles.body}>
            {copy.body}
          </p>
          {copy.blocking ? <p style={styles.note}>{BLOCKING_NOTE}</p> : null}
        </div>
        {copy.blocking && action === null ? null : (
          <div style={styles.footer}>
            {action === null ? null : (
              <button type="button" style={styles.button} onClick={action.onClick}>
                {action.label}
              </button>
            )}
            {copy.blocking ? null : (
              <button type="button" style={styles.button} onClick={onDismiss}>
                {copy.tone === 'success' ? 'Close' : 'OK'}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
