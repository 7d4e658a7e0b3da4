import { describe, expect, it } from 'vitest';
import { Random, realisticTiming, scaleTiming, typicalMs } from '../src/index.ts';
import type { Spread } from '../src/index.ts';

const draws = (seed: number, stream: string, spread: Spread, n: number) => {
  const random = new Random(seed);
  return Array.from({ length: n }, () => random.draw(stream, spread));
};

describe('seeded randomness', () => {
  it('gives the same draws for the same seed, and other draws for another', () => {
    const latency = realisticTiming.restLatencyMs as Spread;
    expect(draws(7, 'rest-latency', latency, 50)).toEqual(draws(7, 'rest-latency', latency, 50));
    expect(draws(7, 'rest-latency', latency, 50)).not.toEqual(
      draws(8, 'rest-latency', latency, 50),
    );
  });

  it('keeps streams apart: draws of one kind do not shift another', () => {
    const ring = realisticTiming.agentRingMs as Spread;
    const alone = new Random(3);
    const interleaved = new Random(3);
    for (let i = 0; i < 20; i++) interleaved.draw('rest-latency', realisticTiming.restLatencyMs);
    expect(Array.from({ length: 10 }, () => interleaved.draw('agent-ring', ring))).toEqual(
      Array.from({ length: 10 }, () => alone.draw('agent-ring', ring)),
    );
  });

  it('draws REST latency with a median near 100 ms and a tail that reaches towards 1 s', () => {
    const sorted = draws(11, 'rest-latency', realisticTiming.restLatencyMs as Spread, 20_000).sort(
      (a, b) => a - b,
    );
    const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))] ?? NaN;
    expect(at(0.5)).toBeGreaterThanOrEqual(90);
    expect(at(0.5)).toBeLessThanOrEqual(110);
    expect(at(0.99)).toBeGreaterThan(400);
    expect(at(1)).toBeLessThanOrEqual(1000);
    expect(at(0)).toBeGreaterThanOrEqual(40);
  });

  it('keeps agent ring and answer within 0.5-1.5 s', () => {
    const ring = draws(5, 'agent-ring', realisticTiming.agentRingMs as Spread, 5000);
    expect(Math.min(...ring)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...ring)).toBeLessThanOrEqual(1500);
  });

  it('scales a profile without changing its shape, and a fixed number stays fixed', () => {
    const tenth = scaleTiming(realisticTiming, 0.1);
    expect(tenth.restLatencyMs).toEqual({ minMs: 4, medianMs: 10, maxMs: 100 });
    expect(tenth.voiceWebhookTimeoutMs).toBe(realisticTiming.voiceWebhookTimeoutMs);
    expect(typicalMs(tenth.agentRingMs)).toBe(80);
    expect(new Random(1).draw('any', 42)).toBe(42);
  });
});
