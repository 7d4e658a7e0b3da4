import { describe, expect, it } from 'vitest';
import { abandonScenario } from '../../src/scenarios/abandon.ts';
import type { AbandonReport } from '../../src/scenarios/abandon.ts';
import { useStacks } from './stack.ts';

function expectAbandonedCleanly(report: AbandonReport): void {
  expect(report.outcome, report.customer.story().join('\n')).toBe('abandoned');
  expect(report.customer.ended).toBe(true);
  expect(report.liveTasks).toEqual([]);
  expect(report.dialsAfterHangup.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  expect(report.offeredToAliceAfterHangup).toEqual([]);
  expect(report.aliceOpenReservations).toEqual([]);
  expect(report.aliceOnACall).toBe(false);
}

describe('scenario 3: the customer hangs up during the recovery', () => {
  const stack = useStacks();

  it('while pinging: abandoned, the ping canceled, nothing dialled once the agent is back', async () => {
    const s = await stack({ pingTimeoutS: 10 });
    const report = await abandonScenario(s, 'pinging');
    expectAbandonedCleanly(report);
    const canceled = report.view.timeline.find(
      (e) => e.kind === 'effect-result' && e.name === 'cancelTask',
    );
    expect(JSON.stringify(canceled?.detail)).toContain('canceled WT');
  });

  it('while reconnecting: abandoned, the reconnect task canceled, nothing dialled', async () => {
    // A slow accept keeps the reconnect offered long enough to hang up meanwhile.
    const s = await stack({ timing: { agentAcceptDelayMs: 1000 } });
    const report = await abandonScenario(s, 'reconnecting');
    expectAbandonedCleanly(report);
  });
});
