import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE, parseCli, runCli } from '../scripts/demo/cli.ts';
import { walkScenario } from '../scripts/demo/run.ts';
import {
  abandonScenario,
  defaultScenario,
  escalateScenario,
  scenarios,
} from '../scripts/demo/scenarios.ts';
import { plain } from '../scripts/demo/style.ts';

function capture(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), style: plain });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pnpm walkthrough scenarios', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s reaches its expected final state',
    (_name, scenario) => {
      const walk = walkScenario(scenario);
      expect(walk.problem).toBeNull();
      expect(walk.done).toBe(true);
      expect(walk.finalState).toBe(scenario.expected);
    },
  );

  it('default: the same agent gets the customer back and the third party is moved', () => {
    const walk = walkScenario(defaultScenario);
    expect(walk.finalState).toBe('recovered');
    expect(walk.outcome).toMatchObject({ kind: 'recovered' });
    const effects = walk.entries.flatMap((e) => e.effects.map((x) => x.type));
    expect(effects).toContain('createPingTask');
    expect(effects).toContain('moveParticipant');
  });

  it('escalate: another agent takes the customer', () => {
    expect(walkScenario(escalateScenario).finalState).toBe('handledByAnotherAgent');
  });

  it('abandon: the customer hangs up while pinging', () => {
    const walk = walkScenario(abandonScenario);
    expect(walk.finalState).toBe('abandoned');
    expect(walk.entries.at(-1)?.effects.map((e) => e.type)).toEqual([
      'cancelTask',
      'endConference',
    ]);
  });
});

describe('pnpm walkthrough command line', () => {
  it('runs the default scenario and prints states, effects, timers and modal copy', () => {
    const { code, out } = capture([]);
    expect(code).toBe(EXIT_OK);
    expect(out).toContain('→ recovering.pinging');
    expect(out).toContain('effect  createPingTask');
    expect(out).toContain('timer   start pingTimeout');
    expect(out).toContain('"Checking that you are back"');
    expect(out).toMatch(/^OK {2}ended in recovered/m);
    expect(out).not.toContain('\u001b[');
  });

  it('takes --scenario and --scenario=, with or without a leading --', () => {
    expect(parseCli(['--scenario', 'escalate'])).toMatchObject({
      kind: 'run',
      scenario: { name: 'escalate' },
    });
    expect(parseCli(['--scenario=abandon'])).toMatchObject({
      kind: 'run',
      scenario: { name: 'abandon' },
    });
    expect(parseCli(['--', '-s', 'abandon'])).toMatchObject({
      kind: 'run',
      scenario: { name: 'abandon' },
    });
  });

  it('prints usage and exits 2 on an unknown scenario or option', () => {
    for (const argv of [['--scenario', 'nope'], ['--bogus'], ['stray']]) {
      const { code, err } = capture(argv);
      expect(code).toBe(EXIT_USAGE);
      expect(err).toContain('usage: pnpm walkthrough');
    }
  });
});
