/**
 * Seeded randomness: every draw the simulator makes (latencies, delays, duplicates) comes from
 * here, so a run is repeatable from its seed. Each purpose draws from its own stream (derived
 * from the seed and the stream's name), so more draws of one kind (say, REST latency) never
 * shift the values another kind (say, ring times) gets.
 */

/** A duration drawn around a median: log-normal, clamped to [minMs, maxMs]. */
export interface Spread {
  minMs: number;
  medianMs: number;
  /** Also the 99.9th percentile of the unclamped distribution: the tail reaches it. */
  maxMs: number;
}

/** A fixed number of milliseconds, or a spread to draw from. */
export type Duration = number | Spread;

/** A fixed duration as a spread (min = median = max). */
export function fixed(ms: number): Spread {
  return { minMs: ms, medianMs: ms, maxMs: ms };
}

/** z of the 99.9th percentile of the standard normal. */
const z999 = 3.09;

/** 32-bit FNV-1a of a string: derives a stream's seed from its name. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for simulated timing (not for anything secret). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return Math.floor(this.between(min, max + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Milliseconds from a duration: a number as is, a spread drawn log-normally. */
  duration(d: Duration): number {
    if (typeof d === 'number') return d;
    if (d.medianMs <= 0 || d.maxMs <= d.medianMs)
      return Math.min(Math.max(d.medianMs, d.minMs), d.maxMs);
    // sigma such that the 99.9th percentile is maxMs: the tail reaches max, rarely.
    const sigma = Math.log(d.maxMs / d.medianMs) / z999;
    const ms = d.medianMs * Math.exp(sigma * this.normal());
    return Math.round(Math.min(d.maxMs, Math.max(d.minMs, ms)));
  }
}

/** The seed's named streams. */
export class Random {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Rng((hash(name) ^ Math.imul(this.seed >>> 0, 0x9e3779b1)) >>> 0);
      this.streams.set(name, rng);
    }
    return rng;
  }

  /** A duration drawn from the named stream. */
  draw(name: string, duration: Duration): number {
    return this.stream(name).duration(duration);
  }
}
