import { createElement } from 'react';
import { render, unmountComponentAtNode } from 'react-dom';
import type { ModalCopy } from '@lifeline/machine';
import { copy } from '@lifeline/machine';
import { RecoveryModal } from 'plugin-lifeline/testing/recovery-modal';
import { expose } from './real-flex.ts';

/** Every state of the statechart that shows the agent a modal, rendered one at a time. */
const states = Object.entries(copy).flatMap(([state, meta]) =>
  meta.modal === null ? [] : [{ state, modal: meta.modal as ModalCopy }],
);

expose('modalPage', {
  states: () => states.map((s) => s.state),
  show(state: string) {
    const root = document.getElementById('root');
    const entry = states.find((s) => s.state === state);
    if (root === null || entry === undefined) throw new Error(`no modal for ${state}`);
    unmountComponentAtNode(root);
    render(
      createElement(RecoveryModal, {
        copy: entry.modal,
        state,
        onDismiss: () => undefined,
      }),
      root,
    );
  },
});
