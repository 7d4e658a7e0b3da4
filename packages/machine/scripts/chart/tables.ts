import type { EffectType } from '../../src/index.ts';
import type { EffectDoc } from './effect-params.ts';
import { NONE, code, table } from './markdown.ts';
import type { Chart, ChartAction, ChartState, ChartTransition } from '../../src/chart/index.ts';
import { allStates, allTransitions, formatMs } from '../../src/chart/index.ts';

/** The Markdown tables of the statechart docs: states, events, timers, effects, modal copy. */

const shortName = (path: string) => path.slice(path.lastIndexOf('.') + 1);

function stateIndex(chart: Chart): Map<string, ChartState> {
  return new Map([chart.root, ...allStates(chart)].map((state) => [state.path, state]));
}

function parentPath(path: string): string {
  return path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = parentPath(path); p !== ''; p = parentPath(p)) out.push(p);
  return out;
}

/** Bold marks what reaches the adapter, so effects stand out among bookkeeping. */
export function actionText(action: ChartAction, chart: Chart): string {
  const effect = (type: string) => `**${code(type)}**`;
  switch (action.kind) {
    case 'effect':
      return effect(action.name);
    case 'composite':
      return action.effects.length === 0
        ? code(action.name)
        : `${code(action.name)} (${action.effects.map(effect).join(' or ')})`;
    case 'timer-start':
      return `starts timer ${code(action.name)} (${formatMs(chart.delays[action.name] ?? null)})`;
    case 'timer-cancel':
      return `cancels timer ${code(action.name)}`;
    case 'bookkeeping':
      return code(action.name);
  }
}

function actionsText(actions: readonly ChartAction[], chart: Chart): string {
  return actions.length === 0 ? NONE : actions.map((a) => actionText(a, chart)).join(', ');
}

function guardText(transition: ChartTransition): string {
  if (transition.guard !== null) return code(transition.guard);
  return transition.order > 0 ? 'otherwise' : NONE;
}

function targetText(transition: ChartTransition, states: Map<string, ChartState>): string {
  if (transition.targets.length === 0) {
    return transition.actions.length === 0 ? 'ignored' : 'stays (actions only)';
  }
  return transition.targets
    .map((target) => {
      const initial = states.get(target)?.initial ?? null;
      return initial === null
        ? `→ ${code(target)}`
        : `→ ${code(target)} (starts in ${code(shortName(initial))})`;
    })
    .join(', ');
}

function triggerText(transition: ChartTransition): string {
  switch (transition.trigger.kind) {
    case 'event':
      return code(transition.trigger.event);
    case 'after':
      return `after ${code(transition.trigger.delay)}`;
    case 'always':
      return 'always';
  }
}

function stateLabel(state: ChartState, states: Map<string, ChartState>): string {
  const notes: string[] = [];
  if (states.get(parentPath(state.path))?.initial === state.path) notes.push('initial');
  if (state.type !== 'atomic') notes.push(state.type);
  return notes.length === 0 ? code(state.path) : `${code(state.path)} · ${notes.join(', ')}`;
}

function summaryOf(state: ChartState): string {
  if (state.summary !== null) return state.summary;
  if (state.children.length === 0) return NONE;
  const steps = state.children.map((child) => code(child.key)).join(', ');
  return `Groups ${steps}. Its own transitions apply in every one of them that does not handle the event itself.`;
}

export function statesTable(chart: Chart): string {
  const states = stateIndex(chart);
  const rows = allStates(chart).map((state) => {
    const entry = actionsText(state.entry, chart);
    const timers = state.exit.filter((a) => a.kind === 'timer-cancel').map((a) => code(a.name));
    const onEntry = timers.length === 0 ? entry : `${entry}; on exit cancels ${timers.join(', ')}`;
    return [
      stateLabel(state, states),
      summaryOf(state),
      state.modal === null ? NONE : state.modal.title,
      state.modal?.blocking === true ? 'yes' : 'no',
      state.tags.length === 0 ? NONE : state.tags.map(code).join(', '),
      onEntry,
    ];
  });
  return table(['State', 'Summary', 'Modal title', 'Blocking', 'Tags', 'On entry'], rows);
}

export function eventsTable(chart: Chart): string {
  const states = stateIndex(chart);
  const byEvent = new Map<string, ChartTransition[]>();
  for (const transition of allTransitions(chart)) {
    if (transition.trigger.kind !== 'event') continue;
    const list = byEvent.get(transition.trigger.event) ?? [];
    list.push(transition);
    byEvent.set(transition.trigger.event, list);
  }
  const rows: string[][] = [];
  for (const event of [...byEvent.keys()].sort()) {
    const transitions = byEvent.get(event) ?? [];
    const handledIn = new Set(transitions.map((t) => t.source));
    for (const transition of transitions) {
      // A step that handles an event its parent also handles replaces the parent's handling.
      const shadowed = ancestors(transition.source).filter((path) => handledIn.has(path));
      const where =
        shadowed.length === 0
          ? code(transition.source)
          : `${code(transition.source)} (instead of ${shadowed.map(code).join(', ')})`;
      rows.push([
        code(event),
        where,
        guardText(transition),
        targetText(transition, states),
        actionsText(transition.actions, chart),
      ]);
    }
  }
  return table(['Event', 'In state', 'Guard', 'Goes to', 'Actions'], rows);
}

export function timersTable(chart: Chart): string {
  const states = stateIndex(chart);
  const rows = allTransitions(chart)
    .filter((t) => t.trigger.kind !== 'event')
    .map((transition) => {
      const trigger = transition.trigger;
      const when =
        trigger.kind === 'after'
          ? `after ${code(trigger.delay)} (${formatMs(chart.delays[trigger.delay] ?? null)} by default)`
          : 'always (checked after every step)';
      return [
        code(transition.source),
        when,
        guardText(transition),
        targetText(transition, states),
        actionsText(transition.actions, chart),
        trigger.kind === 'after' ? code(trigger.event) : NONE,
      ];
    });
  return table(
    ['In state', 'When', 'Guard', 'Goes to', 'Actions', 'Event the host delivers'],
    rows,
  );
}

/** Where each effect type is asked for: state entries and transitions, with the composite action when indirect. */
function effectSources(chart: Chart): Map<EffectType, string[]> {
  const sources = new Map<EffectType, string[]>();
  const add = (actions: readonly ChartAction[], where: string) => {
    for (const action of actions) {
      for (const effect of action.effects) {
        const via = action.kind === 'composite' ? ` via ${code(action.name)}` : '';
        const list = sources.get(effect) ?? [];
        const line = `${where}${via}`;
        if (!list.includes(line)) list.push(line);
        sources.set(effect, list);
      }
    }
  };
  for (const state of allStates(chart)) add(state.entry, `entry of ${code(state.path)}`);
  for (const transition of allTransitions(chart)) {
    const guard = transition.guard === null ? '' : ` [${code(transition.guard)}]`;
    const when =
      transition.trigger.kind === 'event'
        ? `on ${triggerText(transition)}`
        : triggerText(transition);
    add(transition.actions, `${code(transition.source)} ${when}${guard}`);
  }
  return sources;
}

export function effectsTable(
  chart: Chart,
  effectTypes: readonly EffectType[],
  docs: ReadonlyMap<string, EffectDoc>,
): string {
  const sources = effectSources(chart);
  const rows = effectTypes.map((type) => {
    const doc = docs.get(type);
    const asked = sources.get(type) ?? [];
    return [
      `**${code(type)}**`,
      doc?.description || NONE,
      doc === undefined ? NONE : doc.fields.map(code).join(', '),
      asked.length === 0 ? 'never asked for by the statechart' : asked.join('\n'),
    ];
  });
  return table(['Effect', 'What the adapter does', 'Params', 'Asked for by'], rows);
}

export function modalTable(chart: Chart): string {
  const rows = allStates(chart).flatMap((state) => {
    const modal = state.modal;
    if (modal === null) return [];
    const closes =
      modal.autoCloseMs === null ? 'when dismissed' : `after ${formatMs(modal.autoCloseMs)}`;
    return [
      [
        code(state.path),
        `**${modal.title}**`,
        modal.body,
        modal.tone,
        modal.blocking ? 'yes' : 'no',
        closes,
      ],
    ];
  });
  const silent = allStates(chart).filter((s) => s.modal === null && s.children.length === 0);
  const note =
    silent.length === 0 ? '' : `\n\nNo modal in ${silent.map((s) => code(s.path)).join(', ')}.`;
  return table(['State', 'Title', 'Body', 'Tone', 'Blocking', 'Closes'], rows) + note;
}
