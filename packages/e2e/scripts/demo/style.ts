/** Terminal styling: colours only on a TTY without NO_COLOR; plain text otherwise. */
export interface Style {
  bold: (text: string) => string;
  dim: (text: string) => string;
  state: (text: string) => string;
  effect: (text: string) => string;
  hears: (text: string) => string;
  step: (text: string) => string;
  warn: (text: string) => string;
  ok: (text: string) => string;
  fail: (text: string) => string;
}

const same = (text: string) => text;

export const plain: Style = {
  bold: same,
  dim: same,
  state: same,
  effect: same,
  hears: same,
  step: same,
  warn: same,
  ok: same,
  fail: same,
};

const sgr = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;

export const ansi: Style = {
  bold: sgr('1'),
  dim: sgr('2'),
  state: sgr('1;36'),
  effect: sgr('35'),
  hears: sgr('34'),
  step: sgr('1'),
  warn: sgr('33'),
  ok: sgr('1;32'),
  fail: sgr('1;31'),
};
