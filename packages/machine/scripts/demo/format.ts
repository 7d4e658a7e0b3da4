import type { ModalCopy, Outcome } from '../../src/index.ts';
import { cast, roles } from './cast.ts';
import { effectLine, who } from './effect-line.ts';
import type { TimelineEntry, Walkthrough } from './run.ts';
import type { Style } from './style.ts';

/** The walkthrough as text: a header, the cast, one block per step, and the result. */

const INDENT = ' '.repeat(15);
const WIDTH = 92;

function seconds(ms: number): string {
  return `t+${(ms / 1000).toFixed(1)}s`;
}

export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function modalLines(modal: ModalCopy | null, style: Style): string[] {
  if (modal === null) return [`${INDENT}${style.modal('modal   none')}`];
  const flags = [modal.tone, modal.blocking ? 'blocking' : 'not blocking'];
  if (modal.autoCloseMs !== null) flags.push(`closes after ${modal.autoCloseMs / 1000} s`);
  const body = wrap(modal.body, WIDTH - INDENT.length - 8).map(
    (line) => `${INDENT}        ${style.modal(line)}`,
  );
  return [
    `${INDENT}${style.modal(`modal   "${modal.title}"`)}  ${style.dim(`[${flags.join(', ')}]`)}`,
    ...body,
  ];
}

function entryLines(entry: TimelineEntry, index: number, style: Style): string[] {
  const head = `${String(index).padStart(3)}  ${seconds(entry.at).padEnd(10)}${style.bold(entry.input)}`;
  const lines = [head];
  for (const line of wrap(entry.note, WIDTH - INDENT.length)) lines.push(INDENT + style.dim(line));
  const unchanged = entry.changed ? '' : style.dim('  (no change: nothing to do)');
  lines.push(`${INDENT}→ ${style.state(entry.state)}${unchanged}`);
  for (const effect of entry.effects) {
    lines.push(
      `${INDENT}${style.effect(`effect  ${effect.type.padEnd(20)}`)}${effectLine(effect)}`,
    );
  }
  for (const delay of entry.canceled) lines.push(`${INDENT}timer   cancel ${delay}`);
  for (const timer of entry.scheduled) {
    lines.push(
      `${INDENT}timer   start ${timer.delay}, due at ${seconds(entry.at + timer.delayMs)} (in ${timer.delayMs / 1000} s)`,
    );
  }
  if (entry.modal !== undefined) lines.push(...modalLines(entry.modal, style));
  return lines;
}

function outcomeText(outcome: Outcome | null, startMs: number): string {
  if (outcome === null) return 'no outcome recorded';
  const at = seconds(outcome.at - startMs);
  return outcome.kind === 'recovered'
    ? `recovered by ${who(outcome.workerSid)} at ${at}`
    : `ended (${outcome.reason}) at ${at}`;
}

export function formatWalkthrough(walk: Walkthrough, startMs: number, style: Style): string[] {
  const lines = [
    style.bold(`Lifeline walkthrough: ${walk.scenario.name}`),
    ...wrap(walk.scenario.title, WIDTH),
    '',
    style.bold('Cast'),
  ];
  for (const [sid, role] of roles) {
    if (sid === cast.pingReservation || sid === cast.customerReservation) continue;
    lines.push(`  ${style.dim(sid)}  ${role}`);
  }
  lines.push(
    '',
    style.bold('Timeline') + style.dim('  (→ state after the step; timers are kept by the host)'),
  );
  walk.entries.forEach((entry, index) => lines.push('', ...entryLines(entry, index, style)));
  lines.push('');
  const outcome = outcomeText(walk.outcome, startMs);
  if (walk.problem === null) {
    lines.push(
      `${style.ok('OK')}  ended in ${style.state(walk.finalState)} as expected: ${outcome}`,
    );
  } else {
    lines.push(`${style.fail('FAILED')}  ${walk.problem}`);
  }
  return lines;
}
