import type { Chart, ChartState, ChartTransition } from '../../src/chart/index.ts';
import { allStates, allTransitions } from '../../src/chart/index.ts';

/**
 * Renders the chart as a Mermaid stateDiagram-v2. Targetless transitions (actions only) are
 * left out: they do not change state, and the events table lists them.
 */

/** Mermaid state ids are global to a diagram: a state's key, or its path where keys repeat. */
export function mermaidIds(chart: Chart): Map<string, string> {
  const states = allStates(chart);
  const keyCount = new Map<string, number>();
  for (const state of states) keyCount.set(state.key, (keyCount.get(state.key) ?? 0) + 1);
  return new Map(
    states.map((state) => [
      state.path,
      keyCount.get(state.key) === 1 ? state.key : state.path.replace(/\./g, '_'),
    ]),
  );
}

/** Mermaid ends a label at `:` or `;`, and `#` starts an entity code. */
function label(text: string): string {
  return text.replace(/[:;#]/g, ' ').replace(/\s+/g, ' ').trim();
}

export function transitionLabel(transition: ChartTransition): string {
  const guard =
    transition.guard !== null
      ? ` [${transition.guard}]`
      : transition.order > 0
        ? ' [otherwise]'
        : '';
  switch (transition.trigger.kind) {
    case 'event':
      return `${transition.trigger.event}${guard}`;
    case 'after':
      return `after ${transition.trigger.delay}${guard}`;
    case 'always':
      return `always${guard}`;
  }
}

function parentPath(path: string): string {
  return path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
}

/**
 * The composite state whose block must hold an edge: the deepest common ancestor of the two
 * ends. Mermaid places an edge's ends in the block where it first meets them, so an edge
 * written inside a composite would pull an outside target into it.
 */
function containerOf(source: string, target: string): string {
  const a = parentPath(source).split('.');
  const b = parentPath(target).split('.');
  const common: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i += 1)
    common.push(a[i] ?? '');
  return common.join('.');
}

interface Edge {
  container: string;
  line: string;
}

function edges(chart: Chart, ids: Map<string, string>): Edge[] {
  const out: Edge[] = [];
  const seen = new Set<string>();
  for (const transition of allTransitions(chart)) {
    for (const target of transition.targets) {
      const line = `${ids.get(transition.source)} --> ${ids.get(target)} : ${label(transitionLabel(transition))}`;
      if (seen.has(line)) continue;
      seen.add(line);
      out.push({ container: containerOf(transition.source, target), line });
    }
  }
  return out;
}

function block(state: ChartState, ids: Map<string, string>, all: Edge[], depth: number): string[] {
  const pad = '  '.repeat(depth);
  const lines: string[] = [];
  if (state.initial !== null) lines.push(`${pad}[*] --> ${ids.get(state.initial)}`);
  for (const child of state.children) {
    if (child.children.length === 0) continue;
    lines.push(`${pad}state ${ids.get(child.path)} {`);
    lines.push(...block(child, ids, all, depth + 1));
    lines.push(`${pad}}`);
  }
  lines.push(...all.filter((edge) => edge.container === state.path).map((edge) => pad + edge.line));
  for (const child of state.children) {
    if (child.type === 'final') lines.push(`${pad}${ids.get(child.path)} --> [*]`);
  }
  return lines;
}

/** The diagram source, without the surrounding code fence. */
export function renderMermaid(chart: Chart): string {
  const ids = mermaidIds(chart);
  const lines = ['stateDiagram-v2', ...block(chart.root, ids, edges(chart, ids), 1)];
  // Colour is a second channel for what the tables say: amber blocks the agent's wrap-up.
  const blocking = allStates(chart).filter((state) => state.modal?.blocking === true);
  const finals = allStates(chart).filter((state) => state.type === 'final');
  lines.push('  classDef blocking fill:#fde68a,stroke:#b45309,color:#1f2937');
  lines.push('  classDef final fill:#e5e7eb,stroke:#6b7280,color:#1f2937');
  if (blocking.length > 0) {
    lines.push(`  class ${blocking.map((state) => ids.get(state.path)).join(', ')} blocking`);
  }
  if (finals.length > 0) {
    lines.push(`  class ${finals.map((state) => ids.get(state.path)).join(', ')} final`);
  }
  return lines.join('\n');
}
