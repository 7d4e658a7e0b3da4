import { afterEach, describe, expect, it } from 'vitest';
import type { Timing } from '../src/index.ts';
import { realisticTiming, waitFor } from '../src/index.ts';
import type { Harness } from './support/sim.ts';
import { harness, standardWorkspace } from './support/sim.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

async function start(timing: Partial<Timing>, seed: number): Promise<Harness> {
  const h = await harness({ timing, seed });
  open.push(h);
  return h;
}

/** A workspace with one task whose events keep Event Streams busy. */
async function someEvents(h: Harness): Promise<void> {
  const setup = standardWorkspace(h.sim);
  for (let i = 0; i < 4; i++) {
    await h.ws.tasks.create({ workflowSid: setup.pingWorkflowSid, attributes: '{}', timeout: 60 });
  }
}

describe('the realistic profile', () => {
  it('answers REST requests late: about 100 ms typical, as the seed draws it', async () => {
    const h = await start({ restLatencyMs: realisticTiming.restLatencyMs }, 5);
    const durations: number[] = [];
    for (let i = 0; i < 15; i++) {
      const started = Date.now();
      await h.ws.tasks.list({ limit: 1 });
      durations.push(Date.now() - started);
    }
    durations.sort((a, b) => a - b);
    expect(durations[0]).toBeGreaterThanOrEqual(40);
    expect(durations[7]).toBeGreaterThanOrEqual(50);
  });

  it('delivers some Event Streams batches twice (at-least-once)', async () => {
    const duplicatesFor = async (seed: number) => {
      const h = await start({ eventStreamsDuplicateRate: 0.5, eventStreamsDelayMs: 0 }, seed);
      await someEvents(h);
      await waitFor(() => h.sim.eventStreams.produced.length >= 8);
      await h.sim.webhooksIdle();
      const attempts = h.sim.webhooks.of('event-streams');
      return { total: attempts.length, duplicates: attempts.filter((a) => a.duplicate).length };
    };
    const first = await duplicatesFor(3);
    expect(first.duplicates).toBeGreaterThan(0);
    expect(first.duplicates).toBeLessThan(first.total);
  });

  it('lets later Event Streams batches overtake earlier ones (each its own delay)', async () => {
    const h = await start(
      { eventStreamsDelayMs: { minMs: 0, medianMs: 40, maxMs: 400 }, eventStreamsBatchMs: 1 },
      9,
    );
    await someEvents(h);
    await waitFor(() => h.sim.eventStreams.produced.length >= 8);
    await h.sim.webhooksIdle();
    const arrived = h.receiver.cloudEvents().map((e) => e.id);
    const produced = h.sim.eventStreams.produced.map((e) => String(e['id']));
    expect(new Set(arrived)).toEqual(new Set(produced));
    expect(arrived).not.toEqual(produced);
  });
});
