import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/effects/runner.ts';
import { useHarness } from '../support/context.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { CONF } from '../support/payloads.ts';

describe('effects under Twilio 429 and 500 bursts', () => {
  const h = useHarness();

  it('retries with backoff until Twilio answers, and runs each effect once', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    h.twilio.failNext(6, 429);
    await flow.agentDrops();
    const { runner, metrics } = h.app.lifeline;
    // Retries are due in the future: move the apps' clock on until the outbox is empty.
    for (let round = 0; round < 40 && h.twilio.tasks.size === 0; round += 1) {
      await runner.drain();
      h.clock.now += 1_000;
    }
    await runner.drain();
    expect(flow.pingTask()).toBeDefined();
    expect([...h.twilio.tasks.values()]).toHaveLength(1);
    expect(
      h.twilio.mutations('/Conferences/').filter((c) => c.body['AnnounceUrl'] !== undefined).length,
    ).toBeGreaterThanOrEqual(1);
    const retries = await metrics.effectRetries.get();
    expect(retries.values.reduce((sum, v) => sum + v.value, 0)).toBe(6);
    expect(await stateOf(h.app)).toEqual({ recovering: { pinging: 'offered' } });
  });

  it('gives up on a 4xx that waiting cannot fix, and records it', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    h.twilio.failNext(1, 400);
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    const timeline = await h.app.lifeline.store.timeline(CONF);
    expect(JSON.stringify(timeline)).toContain('failed: HTTP 400');
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and is jittered within [ceiling/2, ceiling]', () => {
    expect(backoffDelay(1, 250, 30_000, () => 0)).toBe(250);
    expect(backoffDelay(1, 250, 30_000, () => 1)).toBe(500);
    expect(backoffDelay(4, 250, 30_000, () => 1)).toBe(4000);
    expect(backoffDelay(20, 250, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(20, 250, 30_000, () => 0)).toBe(15_000);
  });
});
