import type { Effect } from '@lifeline/machine';
import { isEffectType } from '@lifeline/machine';
import type { FastifyBaseLogger } from 'fastify';
import type { RecoveryEngine } from '../recovery/engine.ts';
import type { OutboxEffect, RecoveryStore } from '../store/types.ts';
import type { Metrics } from '../metrics.ts';
import { classify, describeError } from './errors.ts';
import type { ExecutorContext } from './executors.ts';
import { execute } from './executors.ts';

interface RunnerOptions {
  store: RecoveryStore;
  engine: RecoveryEngine;
  executor: ExecutorContext;
  metrics: Metrics;
  log: FastifyBaseLogger;
  /** Effects in flight at most (each makes one or a few REST calls). */
  concurrency: number;
  /** A claimed effect is another instance's again after this long (crash safety). */
  leaseMs?: number;
  /** Give up after this many attempts; the failure is recorded in the timeline and metrics. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  idleMs?: number;
  random?: () => number;
  now?: () => number;
}

/** Exponential backoff with full jitter: spreads a mass retry (an office-wide blip) out. */
export function backoffDelay(
  attempts: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempts);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs the outbox: claims due effects (leased, so two instances never run the same one at
 * once), performs them through Twilio, feeds their results back to the statechart, and
 * retries failures with backoff. A crash leaves the lease to expire and another run to finish.
 */
export class EffectRunner {
  readonly #o: Required<Omit<RunnerOptions, 'random' | 'now'>> & {
    random: () => number;
    now: () => number;
  };
  #inFlight = new Set<Promise<void>>();
  #stopped = true;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(options: RunnerOptions) {
    this.#o = {
      leaseMs: 30_000,
      maxAttempts: 12,
      baseDelayMs: 250,
      maxDelayMs: 30_000,
      idleMs: 250,
      random: Math.random,
      now: Date.now,
      ...options,
    };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#loop = this.#run();
  }

  /** Something was just committed: look at the outbox now rather than at the next tick. */
  poke(): void {
    this.#wake?.();
  }

  /** Stops claiming, then waits for the effects in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Runs until the outbox has nothing due (tests and the demo use it to settle). */
  async drain(): Promise<number> {
    let ran = 0;
    for (;;) {
      const claimed = await this.#claim();
      if (claimed.length === 0 && this.#inFlight.size === 0) return ran;
      ran += claimed.length;
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let claimed = 0;
      try {
        claimed = (await this.#claim()).length;
      } catch (error) {
        this.#o.log.error({ err: describeError(error) }, 'effect runner: claim failed');
      }
      if (claimed === 0 || this.#inFlight.size >= this.#o.concurrency) {
        await this.#sleep(this.#inFlight.size >= this.#o.concurrency ? 20 : this.#o.idleMs);
      }
    }
  }

  async #claim(): Promise<OutboxEffect[]> {
    const free = this.#o.concurrency - this.#inFlight.size;
    if (free <= 0) return [];
    const claimed = await this.#o.store.claimEffects(this.#o.now(), free, this.#o.leaseMs);
    for (const item of claimed) {
      const task = this.#perform(item).finally(() => this.#inFlight.delete(task));
      this.#inFlight.add(task);
    }
    return claimed;
  }

  async #perform(item: OutboxEffect): Promise<void> {
    const { store, engine, metrics, log } = this.#o;
    if (!isEffectType(item.type)) {
      await store.completeEffect(item.conferenceSid, item.key, this.#entry(item, 'unknown effect'));
      return;
    }
    const effect = { type: item.type, params: item.params } as Effect;
    const started = this.#o.now();
    try {
      if (await store.isEffectDone(item.conferenceSid, item.key)) return;
      const outcome = await execute(effect, this.#o.executor);
      metrics.effects.inc({ type: item.type, outcome: 'ok' });
      metrics.effectLatency.observe({ type: item.type }, (this.#o.now() - started) / 1000);
      await store.completeEffect(
        item.conferenceSid,
        item.key,
        this.#entry(item, outcome.detail, this.#o.now() - started),
      );
      for (const event of outcome.events) {
        await engine.dispatch({
          conferenceSid: item.conferenceSid,
          event,
          source: 'effect',
          // A looked-up call is found by task and worker as a registered one is.
          ...(event.type === 'effect.callLookedUp'
            ? { index: { workerSids: [event.workerSid], taskSids: [event.taskSid] } }
            : {}),
        });
      }
    } catch (error) {
      const reason = describeError(error);
      const attempts = item.attempts + 1;
      if (classify(error) === 'retry' && attempts < this.#o.maxAttempts) {
        metrics.effectRetries.inc({ type: item.type });
        const delay = backoffDelay(
          attempts,
          this.#o.baseDelayMs,
          this.#o.maxDelayMs,
          this.#o.random,
        );
        log.warn(
          { effect: item.type, key: item.key, attempts, delay, reason },
          'effect will retry',
        );
        await store.retryEffect(
          item.conferenceSid,
          item.key,
          this.#o.now() + delay,
          this.#entry(item, `retry in ${delay} ms: ${reason}`),
        );
        return;
      }
      metrics.effects.inc({ type: item.type, outcome: 'failed' });
      log.error({ effect: item.type, key: item.key, attempts, reason }, 'effect failed for good');
      await store.completeEffect(
        item.conferenceSid,
        item.key,
        this.#entry(item, `failed: ${reason}`),
      );
    }
  }

  #entry(item: OutboxEffect, detail: string, latencyMs?: number) {
    return {
      at: this.#o.now(),
      kind: 'effect-result' as const,
      name: item.type,
      detail: { key: item.key, attempt: item.attempts + 1, result: detail, latencyMs },
    };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
