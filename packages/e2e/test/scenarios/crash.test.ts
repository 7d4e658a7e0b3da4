import { describe, expect, it } from 'vitest';
import { refreshScenario } from '../../src/scenarios/refresh.ts';
import { pingTaskCreates } from '../../src/scenarios/steps.ts';
import { expectBackWithSameAgent } from './expect-recovered.ts';
import { useStacks } from './stack.ts';

describe('scenario 10: the server is killed mid-recovery and restarted on the same Redis', () => {
  const stack = useStacks();

  it('during pinging: the ping accepted while it was down still reconnects the agent', async () => {
    const s = await stack({ server: 'child', pingTimeoutS: 15 });
    const child = s.child;
    if (child === null) throw new Error('no server process');
    let restarted: Promise<void> = Promise.resolve();
    const report = await refreshScenario(s, undefined, {
      whilePinging: async () => {
        await child.kill('SIGKILL');
        // The page comes back (and takes the ping) while the server is still starting.
        restarted = child.start();
      },
    });
    await restarted;
    await expectBackWithSameAgent(s, report);
    expect(pingTaskCreates(s)).toHaveLength(1);
    // Event Streams kept the acceptance until the restarted server took it.
    expect(s.sim.webhooks.of('event-streams').some((a) => !a.ok)).toBe(true);
  });

  it('during reconnecting: the restarted server finishes the recovery', async () => {
    // A slow accept holds the reconnect offered while the server is killed.
    const s = await stack({ server: 'child', timing: { agentAcceptDelayMs: 1500 } });
    const child = s.child;
    if (child === null) throw new Error('no server process');
    let restarted: Promise<void> = Promise.resolve();
    const report = await refreshScenario(s, undefined, {
      whileReconnecting: async () => {
        await child.kill('SIGKILL');
        restarted = child.start();
      },
      // Alice may accept while the server is down; then her plugin's registration of the
      // new call is lost, which does not concern this recovery.
      requireRegistration: false,
    });
    await restarted;
    await expectBackWithSameAgent(s, report);
    expect(pingTaskCreates(s)).toHaveLength(1);
  });
});
