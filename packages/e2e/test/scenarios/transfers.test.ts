import { describe, expect, it } from 'vitest';
import { coldTransferScenario, gracefulHangupScenario } from '../../src/scenarios/graceful.ts';
import { pingTaskCreates } from '../../src/scenarios/steps.ts';
import { warmTransferScenario } from '../../src/scenarios/warm-transfer.ts';
import { expectBackWithSameAgent } from './expect-recovered.ts';
import { useStacks } from './stack.ts';

describe('scenario 4: a warm transfer', () => {
  const stack = useStacks();

  it('starts no recovery while another agent is on the call, and one when the last agent drops', async () => {
    const s = await stack();
    const report = await warmTransferScenario(s);
    expect(report.afterFirstRefresh).toEqual({
      state: 'connected',
      pingTasks: 0,
      customerHears: 'hears agent Bob',
    });
    await expectBackWithSameAgent(s, report, 'Bob');
    expect(pingTaskCreates(s)).toHaveLength(1);
  });
});

describe('scenario 6: graceful exits', () => {
  const stack = useStacks();

  it('a hang-up with two parties ends the conference and starts no recovery', async () => {
    const s = await stack();
    const report = await gracefulHangupScenario(s);
    expect(report.outcome).toBe('graceful');
    expect(report.states).toEqual(['connected', 'graceful']);
    expect(report.pingTasks).toBe(0);
    expect(report.conferenceStatus).toBe('completed');
    expect(report.customer.ended).toBe(true);
  });

  it('a cold transfer starts no recovery', async () => {
    const s = await stack();
    const report = await coldTransferScenario(s);
    expect(report.outcome).toBe('connected');
    expect(report.states).toEqual(['connected']);
    expect(report.pingTasks).toBe(0);
    expect(report.customer.ended).toBe(false);
    expect(report.customer.segments.at(-1)?.text).toBe('hears agent Bob');
  });
});
