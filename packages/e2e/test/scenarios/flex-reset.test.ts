import { describe, expect, it } from 'vitest';
import { flexResetScenario } from '../../src/scenarios/flex-reset.ts';
import { expectBackWithSameAgent } from './expect-recovered.ts';
import { useStacks } from './stack.ts';

describe("scenario 7: Flex's endConferenceOnExit on a two-party call", () => {
  const stack = useStacks();

  it('is undone, so the customer stays when the agent drops', async () => {
    const s = await stack();
    const report = await flexResetScenario(s);
    expect(report.flexSetEndConferenceOnExit).toBe(true);
    expect(report.serverUndidIt).toBe(true);
    // No beacon: the drop itself (participant_hung_up) started the recovery.
    const start = report.view.timeline.find((e) => e.kind === 'event' && e.state === 'pinging');
    expect(start?.name).toBe('participant.left');
    await expectBackWithSameAgent(s, report);
  });
});
