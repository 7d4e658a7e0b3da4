import type { Effect } from '@lifeline/machine';
import { isEffectType } from '@lifeline/machine';
import type { FastifyBaseLogger } from 'fastify';
import type { RecoveryEngine } from '../recovery/engine.ts';
import type { OutboxEffect, RecoveryStore } from '../store/types.ts';
import type { Metrics } from '../metrics.ts';
import { classify, describeError, mayHaveReachedTwilio } from './errors.ts';
import type { ExecutorContext } from './executors.ts';
import { execute } from './executors.ts';
import { urgencyOf } from './urgency.ts';
import { MARKED_EFFECTS } from './unverifiable.ts';
import { REQUEST_TIMEOUT_MS } from '../twilio/client.ts';
import { shardOf } from '../store/keys.ts';

/** Told when the runner starts an effect (measurement: decision latency in `pnpm bench mass`). */
export type EffectStartListener = (effect: OutboxEffect, at: number) => void;

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
   * Effects claimed at most, running or waiting to run (default 4 x concurrency, at least
   * 16): a wider choice than the free slots lets the most urgent go first (urgency.ts).
   */
  claimAhead?: number;
  /**
   * A claimed effect is another instance's again after this long unless its owner renews it
   * (crash safety: a killed instance's effects are taken over within about this long).
   */
  leaseMs?: number;
  /** How often the owner renews the lease of an effect still running (default leaseMs / 4). */
  renewEveryMs?: number;
  /**
   * The least wait before a marked effect (unverifiable.ts) tries again after a request that
   * may have reached Twilio unanswered (default: the REST request timeout): Twilio may still
   * be carrying that request out, and the next attempt looks for what it did.
   */
  unansweredRetryMs?: number;
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
 * One claim's lease: renewed while the effect waits and while it runs, one renewal at a time
 * (the store's compare-and-set takes the lease end this runner holds, so two renewals at
 * once would see each other as another instance's claim).
 */
class ClaimLease {
  #pending: Promise<boolean> | null = null;
  /** false once the lease is known to be someone else's, or was given back or stopped. */
  held = true;

  constructor(
    readonly item: OutboxEffect,
    public heldUntil: number,
    private readonly store: RecoveryStore,
  ) {}

  /** Moves the lease end to `until`; false when the lease is no longer this runner's. */
  async renew(until: number): Promise<boolean> {
    while (this.#pending !== null) await this.#pending;
    if (!this.held) return false;
    const renewal = this.store
      .renewLease(this.item.conferenceSid, this.item.key, this.heldUntil, until)
      .then((ok) => {
        if (ok) this.heldUntil = until;
        else this.held = false;
        return ok;
      })
      .finally(() => {
        this.#pending = null;
      });
    this.#pending = renewal;
    return renewal;
  }

  /** Stops renewing: the runner completes or reschedules the effect, which ends the lease. */
  stop(): void {
    this.held = false;
  }
}

/** Effects a customer hears (urgency.ts: the announcement, holds). */
const HEARD_URGENCY = 1;

/**
 * Slots only those effects may take: a twentieth of them, at least one (none with a single
 * slot). In a mass disconnect every slot is soon held by some recovery's ping, tag or
 * reconcile, each for a REST round trip; a customer whose drop is heard then waited for one of
 * them to end first. Kept few: while no customer needs them they stand idle, and the 500-drop
 * bench's pings and finals pay for each.
 */
export function heardSlots(concurrency: number): number {
  return concurrency < 2 ? 0 : Math.max(1, Math.floor(concurrency / 20));
}

interface WaitingClaim {
  lease: ClaimLease;
  urgency: number;
  /** Claim order, so equally urgent effects start oldest first. */
  order: number;
}

/**
 * Runs the outbox: claims due effects (leased, so two instances never run the same one at
 * once), performs them through Twilio, feeds their results back to the statechart, and
 * retries failures with backoff. A crash leaves the lease to expire and another run to finish.
 *
 * It claims ahead of its free slots (`claimAhead`) and starts the most urgent claimed effect
 * first (urgency.ts): after a mass disconnect every customer's announcement goes out before
 * any recovery's bookkeeping. Waiting claims keep their leases renewed; `stop()` gives them
 * back, due at once, for another instance (their claim still counts as an attempt there).
 */
export class EffectRunner {
  readonly #o: Required<
    Omit<RunnerOptions, 'random' | 'now' | 'renewEveryMs' | 'onResult' | 'claimAhead'>
  > & {
    onResult: (conferenceSid: string) => void;
    renewEveryMs: number;
    claimAhead: number;
    random: () => number;
    now: () => number;
  };
  #inFlight = new Set<Promise<void>>();
  #waiting: WaitingClaim[] = [];
  #claims = 0;
  #waitingRenewal: ReturnType<typeof setInterval> | null = null;
  #startListeners = new Set<EffectStartListener>();
  #stopped = true;
  /** stop() was called: nothing more starts, and what waits is given back. */
  #closing = false;
  #wake: (() => void) | null = null;
  /** Poked while not asleep (mid-claim): the next sleep returns at once, so no commit waits. */
  #poked = false;
  /**
   * Shards this instance committed effects to since its last claim: a poke claims from them
   * alone. Every shard is counted at most every idleMs (a sweep: other instances' commits,
   * retries coming due), so a busy instance does not count 16 shards for each commit.
   */
  #hinted = new Set<number>();
  /** When the next claim counts every shard (performance.now(): the cadence is real time). */
  #sweepAt = 0;
  #loop: Promise<void> | null = null;

  constructor(options: RunnerOptions) {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#o = {
      leaseMs,
      renewEveryMs: Math.max(1, Math.floor(leaseMs / 4)),
      claimAhead: Math.max(16, 4 * options.concurrency),
      maxAttempts: 12,
      unansweredRetryMs: REQUEST_TIMEOUT_MS,
      baseDelayMs: 250,
      maxDelayMs: 30_000,
      idleMs: 250,
      random: Math.random,
      now: Date.now,
      onResult: () => undefined,
      ...options,
    };
  }

  /**
   * Calls `listener` as each effect starts (after its claim, before its first REST call);
   * returns a function that removes it. For measurement: production registers none.
   */
  onEffectStart(listener: EffectStartListener): () => void {
    this.#startListeners.add(listener);
    return () => this.#startListeners.delete(listener);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#closing = false;
    this.#loop = this.#run();
  }

  /**
   * Something was just committed (for `conferenceSid`, else anywhere): look at the outbox now
   * rather than at the next tick.
   */
  poke(conferenceSid?: string): void {
    if (conferenceSid === undefined) this.#sweepAt = 0;
    else this.#hinted.add(shardOf(conferenceSid));
    this.#poked = true;
    this.#wake?.();
  }

  /** Stops claiming, gives back the claims still waiting, then waits for the effects in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#closing = true;
    this.#wake?.();
    await this.#loop;
    await this.#releaseWaiting();
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Runs until the outbox has nothing due (tests and the demo use it to settle). */
  async drain(): Promise<number> {
    let ran = 0;
    for (;;) {
      const claimed = await this.#claim(true);
      if (claimed.length === 0 && this.#inFlight.size === 0 && this.#waiting.length === 0) {
        return ran;
      }
      ran += claimed.length;
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let claimed = 0;
      this.#poked = false;
      try {
        claimed = (await this.#claim()).length;
      } catch (error) {
        this.#o.log.error({ err: describeError(error) }, 'effect runner: claim failed');
      }
      // Full: an effect ending starts the next waiting one and wakes this loop to claim more.
      const full = this.#inFlight.size + this.#waiting.length >= this.#o.claimAhead;
      if ((claimed === 0 || full) && !this.#poked) {
        await this.#sleep(Math.min(this.#o.idleMs, Math.max(1, this.#sweepAt - performance.now())));
      }
    }
  }

  async #claim(sweep = false): Promise<OutboxEffect[]> {
    const room = this.#o.claimAhead - this.#inFlight.size - this.#waiting.length;
    if (room <= 0) return [];
    const full = sweep || performance.now() >= this.#sweepAt;
    const only = full ? undefined : [...this.#hinted];
    if (only?.length === 0) return [];
    // Cleared before the claim: a commit during it hints its shard again.
    this.#hinted.clear();
    if (full) this.#sweepAt = performance.now() + this.#o.idleMs;
    const claimed = await this.#o.store.claimEffects(this.#o.now(), room, this.#o.leaseMs, only);
    // As many as there was room for: more may be due anywhere, so the next claim counts all.
    if (claimed.length >= room) this.#sweepAt = 0;
    for (const item of claimed) {
      this.#claims += 1;
      this.#waiting.push({
        lease: new ClaimLease(item, item.leaseUntil, this.#o.store),
        urgency: urgencyOf(item.type),
        order: this.#claims,
      });
    }
    this.#startWaiting();
    return claimed;
  }

  /** Starts the most urgent waiting claims (oldest first among equals) while slots are free. */
  #startWaiting(): void {
    while (
      !this.#closing &&
      this.#inFlight.size < this.#o.concurrency &&
      this.#waiting.length > 0
    ) {
      let best = 0;
      for (let i = 1; i < this.#waiting.length; i += 1) {
        const candidate = this.#waiting[i];
        const current = this.#waiting[best];
        if (candidate === undefined || current === undefined) continue;
        if (
          candidate.urgency < current.urgency ||
          (candidate.urgency === current.urgency && candidate.order < current.order)
        ) {
          best = i;
        }
      }
      const chosen = this.#waiting[best];
      // The last slots are kept for what a customer hears: an announcement or a hold never
      // waits for another recovery's bookkeeping to answer (REST latency, seconds at worst).
      if (
        chosen !== undefined &&
        chosen.urgency > HEARD_URGENCY &&
        this.#inFlight.size >= this.#o.concurrency - heardSlots(this.#o.concurrency)
      ) {
        break;
      }
      const [next] = this.#waiting.splice(best, 1);
      if (next !== undefined) this.#start(next.lease);
    }
    this.#renewWaitingWhileAny();
  }

  #start(lease: ClaimLease): void {
    // A claim whose lease was lost while it waited is another instance's now.
    if (!lease.held) return;
    const item = { ...lease.item, leaseUntil: lease.heldUntil };
    const at = this.#o.now();
    for (const listener of this.#startListeners) {
      try {
        listener(item, at);
      } catch (error) {
        this.#o.log.warn({ err: describeError(error) }, 'effect start listener failed');
      }
    }
    const renewal = this.#keepLeased(lease);
    const task = this.#perform(item, renewal)
      .catch((error: unknown) => {
        // The store could not record the outcome: the lease lapses and the effect runs again.
        this.#o.log.error({ err: describeError(error), key: item.key }, 'effect runner: lost');
      })
      .finally(() => {
        renewal.stop();
        this.#inFlight.delete(task);
        this.#startWaiting();
        this.#wake?.();
      });
    this.#inFlight.add(task);
  }

  /** One timer renews every waiting claim, while there are any. */
  #renewWaitingWhileAny(): void {
    if (this.#waiting.length === 0) {
      if (this.#waitingRenewal !== null) clearInterval(this.#waitingRenewal);
      this.#waitingRenewal = null;
      return;
    }
    if (this.#waitingRenewal !== null) return;
    this.#waitingRenewal = setInterval(() => void this.#renewWaiting(), this.#o.renewEveryMs);
    this.#waitingRenewal.unref();
  }

  async #renewWaiting(): Promise<void> {
    const until = this.#o.now() + this.#o.leaseMs;
    await Promise.all(
      this.#waiting.map(async (claim) => {
        try {
          if (await claim.lease.renew(until)) return;
        } catch (error) {
          this.#o.log.warn(
            { err: describeError(error), key: claim.lease.item.key },
            'waiting effect lease renewal failed',
          );
          return;
        }
        // Lost while waiting (this instance stalled past the lease): not ours to run.
        this.#waiting = this.#waiting.filter((other) => other !== claim);
        this.#o.log.warn(
          { effect: claim.lease.item.type, key: claim.lease.item.key },
          'waiting effect lease lost',
        );
      }),
    );
    this.#renewWaitingWhileAny();
  }

  /** Gives the waiting claims back, due now, so another instance need not wait for the lease. */
  async #releaseWaiting(): Promise<void> {
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#renewWaitingWhileAny();
    const now = this.#o.now();
    await Promise.all(
      waiting.map(async ({ lease }) => {
        try {
          await lease.renew(now);
        } catch (error) {
          // Not given back: its lease lapses on its own within leaseMs.
          this.#o.log.warn(
            { err: describeError(error), key: lease.item.key },
            'effect claim release failed',
          );
        }
        lease.stop();
      }),
    );
  }

  /**
   * Renews the claim's lease while the effect runs, so a slow Twilio call is not taken over by
   * another instance; stops before the runner reschedules or completes it (that rewrites the
   * outbox entry, and the renewal's compare-and-set would refuse anyway).
   */
  #keepLeased(lease: ClaimLease): { stop(): void } {
    const { item } = lease;
    const renew = async () => {
      try {
        if (await lease.renew(this.#o.now() + this.#o.leaseMs)) return;
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
    let stopped = false;
    const timer = setInterval(() => {
      if (!stopped) void renew();
    }, this.#o.renewEveryMs);
    timer.unref();
    return {
      stop() {
        stopped = true;
        lease.stop();
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
      const { done, mayHaveRunBefore } = await store.startEffect(item.conferenceSid, item.key, {
        mark: MARKED_EFFECTS.has(effect.type),
      });
      if (done) return;
      const outcome = await execute(effect, this.#o.executor, { mayHaveRunBefore });
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
        const unanswered = mayHaveReachedTwilio(error);
        const backoff = backoffDelay(
          attempts,
          this.#o.baseDelayMs,
          this.#o.maxDelayMs,
          this.#o.random,
        );
        // A request Twilio got but had not answered may still be carried out: the next attempt
        // looks for what it did, so it waits as long again first (a ping task created by a
        // timed-out request after a quick retry found nothing made a second one).
        const delay =
          unanswered && MARKED_EFFECTS.has(effect.type)
            ? Math.max(backoff, this.#o.unansweredRetryMs)
            : backoff;
        log.warn(
          { effect: item.type, key: item.key, attempts, delay, reason },
          'effect will retry',
        );
        await store.retryEffect(
          item.conferenceSid,
          item.key,
          this.#o.now() + delay,
          this.#entry(item, `retry in ${delay} ms: ${reason}`),
          unanswered,
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
