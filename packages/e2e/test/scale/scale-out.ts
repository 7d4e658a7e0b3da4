import { afterAll, beforeAll, expect } from 'vitest';
import type { TestCluster } from '@lifeline/server/testing';
import { startCluster } from '@lifeline/server/testing';
import type { ScaleOutReport } from '../../src/scale/scale-out.ts';
import { runScaleOut } from '../../src/scale/scale-out.ts';
import { startStack } from '../../src/stack/stack.ts';

/**
 * Issue 12 item 5, shared by the small run in the e2e project and the full one (`pnpm
 * test:scale`): three instances behind a proxy that spreads requests at random, on a 3-master
 * Redis Cluster started here on loopback ports, `conferences` concurrent calls each dropped.
 */
export function useCluster(): () => TestCluster {
  let cluster: TestCluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (cluster === undefined) throw new Error('the test Redis Cluster did not start');
    return cluster;
  };
}

/** `processes`: the instances as server processes (main.ts), not in the test's process. */
export async function scaleOutOnCluster(
  cluster: TestCluster,
  options: { conferences: number; seed: number; processes: boolean },
): Promise<ScaleOutReport> {
  const { conferences, seed } = options;
  const stack = await startStack({
    redisUrl: null,
    redisCluster: cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
    server: 'scale-out',
    instances: 3,
    instanceProcesses: options.processes,
    // Production's ping TTL (15 s), and twice the reconnect time: hundreds of drops at once on
    // a shared 2-core machine, where the e2e defaults (5 s, 10 s) escalated reloads that
    // came back in time but were slow to be seen.
    pingTimeoutS: 15,
    reconnectTimeoutS: 30,
    seed,
  });
  try {
    const report = await runScaleOut(stack, {
      conferences,
      seed,
      log: (line) => console.log(`scale-out: ${line}`),
    });
    console.log(`scale-out: ${JSON.stringify(summary(report))}`);
    // A listener that threw inside the simulator is a bug, whatever else held.
    expect(stack.sim.world.listenerErrors).toEqual([]);
    return report;
  } finally {
    await stack.close();
  }
}

/** The figures the README quotes. */
export function summary(report: ScaleOutReport) {
  return {
    conferences: report.conferences,
    stories: report.stories,
    phasesMs: report.phases,
    stored: report.stored,
    registrations: report.registrations,
    keys: report.keys,
    effects: {
      enqueued: report.effects.enqueued,
      ran: report.effects.ran,
      mutations: report.effects.mutations,
      checked: report.effects.checked,
    },
    perInstance: report.perInstance,
    rest429: report.rest429,
    webhooks: report.webhooks,
  };
}

/** What issue 12 asks the run to show. */
export function expectScaleOutHeld(report: ScaleOutReport): void {
  expect(report.unexpected, 'recoveries that missed their expected end').toEqual([]);
  expect(report.effects.problems, 'effects run twice or never').toEqual([]);
  expect(report.effects.ran).toBe(report.effects.enqueued);
  // Every drop was pinged and announced, every recovered customer queued: the check is not empty.
  const { checked } = report.effects;
  expect(checked['createPingTask']).toBe(report.conferences);
  expect(checked['announceHold']).toBeGreaterThan(0);
  expect(checked['enqueueCustomer']).toBeGreaterThanOrEqual(
    report.conferences - report.stories.hangup,
  );
  expect(report.keys).toBeGreaterThan(0);
  expect(report.keysWithoutExpiry, 'Redis keys without an expiry').toEqual([]);
  expect(report.openTasks, 'Lifeline tasks left open').toEqual([]);
  // Every instance took webhooks and API calls.
  for (const requests of report.perInstance) expect(requests).toBeGreaterThan(0);
}
