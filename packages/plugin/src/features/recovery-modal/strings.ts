import type { ModalCopy } from '@lifeline/machine';
import { copy } from '@lifeline/machine';
import type { FlexManager } from '../../flex/types.ts';
import { text } from '../../flex/strings.ts';

/**
 * The modal's words as Flex strings, so an account can translate or reword them
 * (`manager.strings`): the statechart's copy per state, and the plugin's own lines.
 * Keys: `LifelineRecovery<State>Title` / `...Body`, and the ones below.
 */
const capital = (state: string) => state.charAt(0).toUpperCase() + state.slice(1);
const titleKey = (state: string) => `LifelineRecovery${capital(state)}Title`;
const bodyKey = (state: string) => `LifelineRecovery${capital(state)}Body`;

export const modalLines = {
  LifelineRecoveryPausedNote:
    'Wrap-up and complete are paused for this call until you are back with the customer.',
  LifelineRecoveryWaiting: 'Waiting',
  LifelineRecoveryClose: 'Close',
  LifelineRecoveryOk: 'OK',
  LifelineRecoveryAcceptPing: 'I am back',
  LifelineRecoveryAcceptReconnect: "Accept the customer's call",
};
export type ModalLine = keyof typeof modalLines;

export const modalStrings: Record<string, string> = { ...modalLines };
for (const [state, meta] of Object.entries(copy)) {
  if (meta.modal === null) continue;
  modalStrings[titleKey(state)] = meta.modal.title;
  modalStrings[bodyKey(state)] = meta.modal.body;
}

export type Translate = (line: ModalLine) => string;

export const translator =
  (manager: FlexManager): Translate =>
  (line) =>
    text(manager, line, modalLines[line]);

/** The state's copy with the account's wording, when it has some. */
export function translatedCopy(manager: FlexManager, state: string, modal: ModalCopy): ModalCopy {
  return {
    ...modal,
    title: text(manager, titleKey(state), modal.title),
    body: text(manager, bodyKey(state), modal.body),
  };
}
