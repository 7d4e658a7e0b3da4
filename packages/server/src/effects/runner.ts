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
  /** An effect's result reached the timeline (open streams show it). */
  onResult?: (conferenceSid: string) => void;
  /** Effects in flight at most (each makes one or a few REST calls). */
  concurrency: number;
  /**
   * A claimed effect is another instance's again after this long unless its owner renews it
   * (crash safety: a killed instance's effects are taken over within about this long).
   */
  leaseMs?: number;
  /** How often the owner renews the lease of an effect still running (default leaseMs / 4). */
  renewEveryMs?: number;
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
 * Four seconds, renewed every second: a killed instance's effects are taken over within ~4 s,
 * and two instances whose clocks differ by up to 2 s still never see a renewed lease as lapsed
 * (a lease seen by a skewed clock still has 4 - 1 - 2 = 1 s to go at its worst moment).
 */
export const DEFAULT_LEASE_MS = 4_000;

/**
 * Runs the outbox: claims due effects (leased, so two instances never run the same one at
 * once), performs them through Twilio, feeds their results back to the statechart, and
 * retries failures with backoff. A crash leaves the lease to expire and another run to finish.
 */
export class EffectRunner {
  readonly #o: Required<Omit<RunnerOptions, 'random' | 'now' | 'renewEveryMs' | 'onResult'>> & {
    onResult: (conferenceSid: string) => void;
    renewEveryMs: number;
    random: () => number;
    now: () => number;
  };
  #inFlight = new Set<Promise<void>>();
  #stopped = true;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(options: RunnerOptions) {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#o = {
      leaseMs,
      renewEveryMs: Math.max(1, Math.floor(leaseMs / 4)),
      maxAttempts: 12,
      baseDelayMs: 250,
      maxDelayMs: 30_000,
      idleMs: 250,
      random: Math.random,
      now: Date.now,
      onResult: () => undefined,
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
      const lease = this.#keepLeased(item);
      const task = this.#perform(item, lease).finally(() => {
        lease.stop();
        this.#inFlight.delete(task);
      });
      this.#inFlight.add(task);
    }
    return claimed;
  }

  /**
   * Renews the claim's lease while the effect runs, so a slow Twilio call is not taken over by
   * another instance; stops before the runner reschedules or completes it (that rewrites the
   * outbox entry, and the renewal's compare-and-set would refuse anyway).
   */
  #keepLeased(item: OutboxEffect): { stop(): void } {
    let heldUntil = item.leaseUntil;
    let stopped = false;
    const renew = async () => {
      const until = this.#o.now() + this.#o.leaseMs;
      try {
        if (await this.#o.store.renewLease(item.conferenceSid, item.key, heldUntil, until)) {
          heldUntil = until;
          return;
        }
        // Lost: another instance may run it too; the done-set check and the effect keys keep
        // the outcome single, and there is nothing left to renew.
        if (!stopped) {
          this.#o.log.warn({ effect: item.type, key: item.key }, 'effect lease lost while running');
        }
        stopped = true;
        clearInterval(timer);
      } catch (error) {
        this.#o.log.warn(
          { err: describeError(error), key: item.key },
          'effect lease renewal failed',
        );
      }
    };
    const timer = setInterval(() => {
      if (!stopped) void renew();
    }, this.#o.renewEveryMs);
    timer.unref();
    return {
      stop() {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  async #perform(item: OutboxEffect, lease: { stop(): void }): Promise<void> {
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
      lease.stop();
      await store.completeEffect(
        item.conferenceSid,
        item.key,
        this.#entry(item, outcome.detail, this.#o.now() - started),
      );
      this.#o.onResult(item.conferenceSid);
      for (const [index, event] of outcome.events.entries()) {
        const dedupeId = outcome.dedupeIds?.[index];
        await engine.dispatch({
          conferenceSid: item.conferenceSid,
          event,
          source: 'effect',
          ...(dedupeId === undefined ? {} : { dedupeIds: [dedupeId] }),
          // A looked-up call is found by task and worker as a registered one is.
          ...(event.type === 'effect.callLookedUp'
            ? { index: { workerSids: [event.workerSid], taskSids: [event.taskSid] } }
            : {}),
        });
      }
    } catch (error) {
      lease.stop();
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
        this.#o.onResult(item.conferenceSid);
        return;
      }
      metrics.effects.inc({ type: item.type, outcome: 'failed' });
      log.error({ effect: item.type, key: item.key, attempts, reason }, 'effect failed for good');
      await store.completeEffect(
        item.conferenceSid,
        item.key,
        this.#entry(item, `failed: ${reason}`),
      );
      this.#o.onResult(item.conferenceSid);
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
