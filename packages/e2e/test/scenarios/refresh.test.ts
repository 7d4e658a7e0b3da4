import { describe, expect, it } from 'vitest';
import { refreshScenario } from '../../src/scenarios/refresh.ts';
import { pingTaskCreates } from '../../src/scenarios/steps.ts';
import { expectBackWithSameAgent } from './expect-recovered.ts';
import { useStacks } from './stack.ts';

describe('scenario 1: a refresh, and the same agent comes back', () => {
  const stack = useStacks();

  it('keeps the customer on the line with the announcement and brings the same agent back', async () => {
    const s = await stack();
    const report = await refreshScenario(s);
    await expectBackWithSameAgent(s, report);
    expect(pingTaskCreates(s)).toHaveLength(1);
    // Until Alice was back the customer heard the conference (the announcement, then hold
    // audio) and the queue: never disconnected. The only silence is the drop's detection.
    expect(Object.keys(report.experience.byHearing).sort()).toEqual([
      'announcement',
      'hold-music',
      'queue-music',
      'silence',
    ]);
    expect(report.experience.longestSilenceMs).toBeLessThanOrEqual(1000);
  });
});
