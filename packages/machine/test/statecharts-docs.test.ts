import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoveryMachine, start } from '../src/index.ts';
import { enqueuedEffects } from '../src/chart/index.ts';
import { DOCS_DIR, generateStatechartDocs } from '../scripts/chart/generate.ts';
import { renderMermaid } from '../scripts/chart/mermaid.ts';
import { walkMachine } from '../src/chart/index.ts';

function committed(name: string): string | null {
  try {
    return readFileSync(join(DOCS_DIR, name), 'utf8');
  } catch {
    return null;
  }
}

/** Names the first differing line, so a stale doc says where without a full diff. */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  const line = want.findIndex((text, i) => text !== got[i]);
  const at = line === -1 ? want.length : line;
  return `line ${at + 1}: generated ${JSON.stringify(want[at] ?? '<end>')}, committed ${JSON.stringify(got[at] ?? '<end>')}`;
}

/** Every state key of the machine, read from the machine object itself. */
function stateKeys(): string[] {
  interface Node {
    key: string;
    states: Record<string, Node>;
  }
  const keys: string[] = [];
  const visit = (node: Node) => {
    for (const child of Object.values(node.states)) {
      keys.push(child.key);
      visit(child);
    }
  };
  visit(recoveryMachine.root);
  return keys;
}

const chart = () => walkMachine(recoveryMachine, start({ conferenceSid: 'CF0' }).snapshot.context);

describe('docs/statecharts', () => {
  it('matches what pnpm statecharts generates from the machine', () => {
    for (const file of generateStatechartDocs()) {
      const onDisk = committed(file.name);
      if (onDisk === file.content) continue;
      const why =
        onDisk === null
          ? `${file.name} is missing`
          : `${file.name} differs at ${firstDifference(file.content, onDisk)}`;
      expect.fail(`docs/statecharts is stale: run pnpm statecharts (${why})`);
    }
  });
});

describe('statechart Mermaid diagram', () => {
  const mermaid = renderMermaid(chart());

  it('is a stateDiagram-v2 with the initial state and recovering as a composite', () => {
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(mermaid).toContain('[*] --> connected');
    expect(mermaid).toMatch(/^\s*state recovering \{$/m);
    expect(mermaid).toContain('[*] --> disconnected');
  });

  it('names every state node of the machine', () => {
    for (const key of stateKeys()) {
      expect(mermaid, `state ${key}`).toMatch(new RegExp(`(^|\\s)${key}(\\s|$)`, 'm'));
    }
  });

  it('shows after and always transitions and the final states', () => {
    expect(mermaid).toMatch(/offered --> escalated : after pingTimeout$/m);
    expect(mermaid).toMatch(/creating --> escalated : after pingCreateTimeout$/m);
    expect(mermaid).toMatch(/disconnected --> pinging : always$/m);
    expect(mermaid).toMatch(/redialing --> recovered : always \[[^\]]+\]$/m);
    expect(mermaid).toContain('recovered --> [*]');
  });

  it('labels guarded event transitions with the event and the guard', () => {
    expect(mermaid).toContain('pinging --> reconnecting : reservation.accepted [isPingAccepted]');
  });
});

describe('statechart walk', () => {
  it('finds the effects an enqueueActions action may ask for', () => {
    const escalated = chart()
      .root.children.find((s) => s.key === 'recovering')
      ?.children.find((s) => s.key === 'escalated');
    expect(escalated?.entry.flatMap((a) => a.effects)).toEqual(['retargetTask', 'enqueueCustomer']);
    expect(enqueuedEffects(() => ({ type: 'notAnEffect' }))).toEqual([]);
  });
});
