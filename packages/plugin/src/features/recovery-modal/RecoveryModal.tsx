import type { ModalCopy } from '@lifeline/machine';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Translate } from './strings.ts';
import { modalLines } from './strings.ts';
import { modalCss, modalStyles, themeTokens, toneBorder } from './tokens.ts';
import { useBlockFlex } from './useBlockFlex.ts';
import { useFocusTrap } from './useFocusTrap.ts';

/** States in which the agent waits for something to happen: they show progress. */
export const WAITING_STATES = new Set(['disconnected', 'pinging', 'reconnecting', 'redialing']);

export interface RecoveryModalProps {
  copy: ModalCopy;
  /** The recovery's state name, for styling hooks and tests (data-state). */
  state: string;
  onDismiss: () => void;
  /** A recovery task the agent can accept from here (the modal covers the task list). */
  action?: { label: string; onClick: () => void } | null;
  /** Flex's theme, from withTheme. */
  theme?: unknown;
  /** The plugin's own lines in the account's wording (Flex strings). */
  t?: Translate;
}

const defaultT: Translate = (line) => modalLines[line];

/** A container of its own at the end of the body, so the rest of Flex can be made inert. */
function usePortal(): HTMLElement | null {
  const [node, setNode] = useState<HTMLElement | null>(null);
  useEffect(() => {
    const element = document.createElement('div');
    element.setAttribute('data-lifeline-portal', '');
    document.body.appendChild(element);
    setNode(element);
    return () => element.remove();
  }, []);
  return node;
}

/**
 * The agent's view of a recovery: only the statechart's copy for the current state. A
 * blocking state offers no way out (the agent must not leave the customer) and takes the
 * rest of Flex out of reach; the others can be closed, and `recovered` also closes by itself
 * (the controller times it).
 */
export function RecoveryModal(props: RecoveryModalProps) {
  const portal = usePortal();
  return portal === null ? null : createPortal(<ModalBody {...props} portal={portal} />, portal);
}

function ModalBody({
  copy,
  state,
  onDismiss,
  action = null,
  theme,
  t = defaultT,
  portal,
}: RecoveryModalProps & { portal: HTMLElement }) {
  const dialog = useRef<HTMLDivElement>(null);
  const onKeyDown = useFocusTrap(dialog, copy.blocking ? null : onDismiss);
  useBlockFlex(dialog, portal, copy.blocking);
  const tokens = themeTokens(theme);
  const styles = modalStyles(tokens);
  const waiting = WAITING_STATES.has(state);
  return (
    <div style={styles.overlay} data-testid="lifeline-overlay" data-lifeline-modal="">
      <style>{modalCss(tokens)}</style>
      <div
        ref={dialog}
        // A blocking state asks for the agent's attention and offers no way out.
        role={copy.blocking ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby="lifeline-recovery-title"
        aria-describedby="lifeline-recovery-body"
        aria-busy={waiting}
        tabIndex={-1}
        data-state={state}
        data-tone={copy.tone}
        onKeyDown={onKeyDown}
        style={{ ...styles.dialog, borderTop: `6px solid ${tokens[toneBorder[copy.tone]]}` }}
      >
        {/* One polite live region: each new state's copy is announced as it arrives. */}
        <div aria-live="polite" aria-atomic="true">
          <h2 id="lifeline-recovery-title" style={styles.title}>
            {copy.title}
          </h2>
          <p id="lifeline-recovery-body" style={styles.body}>
            {copy.body}
          </p>
          {copy.blocking ? <p style={styles.note}>{t('LifelineRecoveryPausedNote')}</p> : null}
        </div>
        {waiting ? (
          <div role="progressbar" aria-label={t('LifelineRecoveryWaiting')} style={styles.progress}>
            <div style={styles.progressBar} />
          </div>
        ) : null}
        {copy.blocking && action === null ? null : (
          <div style={styles.footer}>
            {action === null ? null : (
              <button type="button" style={styles.button} onClick={action.onClick}>
                {action.label}
              </button>
            )}
            {copy.blocking ? null : (
              <button type="button" style={styles.button} onClick={onDismiss}>
                {copy.tone === 'success' ? t('LifelineRecoveryClose') : t('LifelineRecoveryOk')}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
