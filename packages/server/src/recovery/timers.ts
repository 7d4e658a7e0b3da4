import type { TimerEvent } from '@lifeline/machine';
import type { FastifyBaseLogger } from 'fastify';
import type { RecoveryStore } from '../store/types.ts';
import type { Metrics } from '../metrics.ts';
import type { RecoveryEngine } from './engine.ts';

interface TimerLoopOptions {
  store: RecoveryStore;
  engine: RecoveryEngine;
  metrics: Metrics;
  log: FastifyBaseLogger;
  tickMs?: number;
  now?: () => number;
}

/**
 * Fires the statechart's delayed events from their due-times in Redis. Any instance may fire
 * a timer: the commit that delivers it also removes it, so exactly one delivery wins.
 */
export class TimerLoop {
  readonly #o: Required<TimerLoopOptions>;
  #stopped = true;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(options: TimerLoopOptions) {
    this.#o = { tickMs: 200, now: Date.now, ...options };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  /** Fires every timer due now; returns how many fired. */
  async fireDue(): Promise<number> {
    const now = this.#o.now();
    const due = await this.#o.store.dueTimers(now, 100);
    let fired = 0;
    for (const timer of due) {
      if (!timer.event.type.startsWith('xstate.after.')) continue;
      const outcome = await this.#o.engine.dispatch({
        conferenceSid: timer.conferenceSid,
        event: timer.event as TimerEvent,
        source: 'timer',
        firesTimer: timer.id,
      });
      if (outcome.kind === 'unknown-conference') {
        // Its conference expired or was never created: the timer can only come back forever.
        await this.#o.store.dropTimer(timer.conferenceSid, timer.id);
        continue;
      }
      if (outcome.kind !== 'timer-gone') {
        fired += 1;
        this.#o.metrics.timerLag.observe((now - timer.dueAt) / 1000);
      }
    }
    return fired;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.fireDue();
      } catch (error) {
        this.#o.log.error({ err: String(error) }, 'timer loop: firing failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#o.tickMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
