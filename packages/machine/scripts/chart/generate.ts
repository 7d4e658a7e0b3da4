import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { effectTypes, recoveryMachine, start } from '../../src/index.ts';
import { renderRecoveryDoc } from './document.ts';
import { readEffectDocs } from './effect-params.ts';
import { walkMachine } from '../../src/chart/index.ts';

/** docs/statecharts, from the repository root. */
export const DOCS_DIR = fileURLToPath(new URL('../../../../docs/statecharts/', import.meta.url));

export interface GeneratedFile {
  /** Relative to DOCS_DIR. */
  name: string;
  content: string;
}

/**
 * Everything `pnpm statecharts` writes, built in memory so the staleness test can compare it
 * with what is committed. The only input read from disk is src/effects.ts, for the effect
 * parameter types that exist only in TypeScript.
 */
export function generateStatechartDocs(): GeneratedFile[] {
  const effectsSource = readFileSync(new URL('../../src/effects.ts', import.meta.url), 'utf8');
  // Delays are evaluated with the initial context, so the docs show the default durations.
  const { context } = start({ conferenceSid: 'CF00000000000000000000000000000000' }).snapshot;
  const chart = walkMachine(recoveryMachine, context);
  const content = renderRecoveryDoc({
    chart,
    effectTypes,
    effectDocs: readEffectDocs(effectsSource),
  });
  return [{ name: 'recovery.md', content }];
}
