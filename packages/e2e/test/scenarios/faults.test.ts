import { describe, expect, it } from 'vitest';
import { refreshScenario } from '../../src/scenarios/refresh.ts';
import { pingTaskCreates } from '../../src/scenarios/steps.ts';
import { effectResult } from '../../src/stack/lifeline-api.ts';
import { e2eLoops } from '../../src/stack/stack.ts';
import { expectBackWithSameAgent } from './expect-recovered.ts';
import { useStacks } from './stack.ts';

/** Mutations the server's effects make, and the retry budget each may use. */
const throttled = [
  'CreateTask',
  'UpdateCall',
  'UpdateConference',
  'UpdateParticipant',
  'UpdateTask',
  'UpdateTaskReservation',
] as const;
const burst = 2;

/** The runner's longest wait for attempt n (full jitter: between half and all of it). */
const maxDelay = (attempt: number) =>
  Math.min(e2eLoops.maxDelayMs, e2eLoops.baseDelayMs * 2 ** attempt);

describe('scenario 8: duplicated, reordered and delayed webhooks', () => {
  const stack = useStacks();

  it('give the same outcome as a plain refresh', async () => {
    // Concurrent delivery: callbacks of one conference may overtake one another, as Twilio's can.
    const s = await stack({ webhookOrdering: 'concurrent' });
    const report = await refreshScenario(s, undefined, {
      beforeRefresh: () => {
        s.sim.faults.duplicateWebhooks(1000, 'any');
        s.sim.faults.reorderWebhooks(3, 'conference');
        s.sim.faults.reorderWebhooks(2, 'event-streams');
        s.sim.faults.delayWebhooks(150, 2, 'event-streams');
        s.sim.faults.delayWebhooks(100, 2, 'conference');
      },
    });
    await expectBackWithSameAgent(s, report);
    expect(s.sim.webhooks.attempts.filter((a) => a.duplicate).length).toBeGreaterThan(5);
    // Every reordering asked for happened.
    expect(s.sim.faults.reorderPending('conference')).toBe(false);
    expect(s.sim.faults.reorderPending('event-streams')).toBe(false);
    expect(pingTaskCreates(s)).toHaveLength(1);
    // Every redelivery was recognised: no effect ran twice.
    const results = report.view.timeline.flatMap((e) => {
      const result = effectResult(e);
      return result === null ? [] : [result.key];
    });
    expect(new Set(results).size).toBe(results.length);
  });
});

describe('scenario 9: REST 429 bursts', () => {
  const stack = useStacks();

  it('give the same outcome, every effect retried within the backoff budget', async () => {
    const s = await stack();
    const report = await refreshScenario(s, undefined, {
      beforeRefresh: () => {
        for (const operationId of throttled) s.sim.faults.restErrors(429, burst, { operationId });
      },
    });
    await expectBackWithSameAgent(s, report);

    const answered429 = s.sim.requests.records.filter((r) => r.status === 429);
    expect(answered429).toHaveLength(throttled.length * burst);
    const results = report.view.timeline.flatMap((e) => {
      const result = effectResult(e);
      return result === null ? [] : [result];
    });
    expect(results.filter((r) => r.result.startsWith('failed'))).toEqual([]);
    const retries = results.filter((r) => r.result.startsWith('retry in'));
    expect(retries).toHaveLength(throttled.length * burst);
    for (const retry of retries) {
      const delay = Number(/^retry in (\d+) ms/.exec(retry.result)?.[1]);
      expect(delay).toBeLessThanOrEqual(maxDelay(retry.attempt));
    }
    // The worst case of every retry in a row, on top of what a plain refresh takes here.
    const budgetMs = throttled.length * [1, 2].reduce((sum, n) => sum + maxDelay(n), 0);
    expect(report.experience.reconnectMs).toBeLessThan(3000 + budgetMs);
  });
});
