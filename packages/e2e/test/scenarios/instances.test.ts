import { describe, expect, it } from 'vitest';
import { threePartyScenario } from '../../src/scenarios/three-party.ts';
import { pingTaskCreates } from '../../src/scenarios/steps.ts';
import { effectResult } from '../../src/stack/lifeline-api.ts';
import { expectBackWithSameAgent } from './expect-recovered.ts';
import { useStacks } from './stack.ts';

describe('scenario 11: two server instances behind a round-robin proxy', () => {
  const stack = useStacks();

  it('give the same outcome, with every effect executed exactly once', async () => {
    const s = await stack({ server: 'two-instances' });
    const report = await threePartyScenario(s);
    await expectBackWithSameAgent(s, report);
    expect(report.externalAfter?.label).toBe('external');

    // Both instances took webhooks and API calls.
    const perBackend = (await s.proxy?.perBackend()) ?? [];
    expect(perBackend).toHaveLength(2);
    for (const requests of perBackend) expect(requests).toBeGreaterThan(0);

    const requests = s.sim.requests.records.filter((r) => r.status < 300);
    const count = (operationId: string, match: (r: (typeof requests)[number]) => boolean) =>
      requests.filter((r) => r.operationId === operationId && match(r)).length;
    const twiml = (r: (typeof requests)[number]) => String(r.params['Twiml'] ?? '');
    expect(pingTaskCreates(s)).toHaveLength(1);
    expect(count('UpdateConference', (r) => r.params['AnnounceUrl'] !== undefined)).toBe(1);
    expect(
      count('UpdateCall', (r) => r.path.endsWith(`/Calls/${report.customerCallSid}.json`)),
    ).toBe(1);
    expect(count('UpdateCall', (r) => twiml(r).includes('<Enqueue'))).toBe(1);
    expect(
      count(
        'UpdateCall',
        (r) =>
          r.path.endsWith(`/Calls/${report.externalCallSid}.json`) && twiml(r).includes('<Dial'),
      ),
    ).toBe(1);
    expect(count('UpdateTaskReservation', () => true)).toBe(1);
    expect(
      count(
        'UpdateTask',
        (r) => r.path.endsWith(`/Tasks/${report.taskSid}`) && r.params['Attributes'] !== undefined,
      ),
    ).toBe(1);
    // The server's own ledger agrees: each effect key has exactly one result.
    const keys = report.view.timeline.flatMap((e) => {
      const result = effectResult(e);
      return result === null ? [] : [result.key];
    });
    expect(new Set(keys).size).toBe(keys.length);
  });
});
