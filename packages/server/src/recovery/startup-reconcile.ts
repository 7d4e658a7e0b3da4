import type { FastifyBaseLogger } from 'fastify';
import { describeError } from '../effects/errors.ts';
import type { RecoveryStore } from '../store/types.ts';
import type { RecoveryEngine } from './engine.ts';

interface StartupReconcileOptions {
  store: Pick<RecoveryStore, 'listConferences'>;
  engine: Pick<RecoveryEngine, 'dispatch'>;
  log: FastifyBaseLogger;
  now: () => number;
  /** Conferences asked at once. */
  batch?: number;
  /** Listing page size. */
  pageSize?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * On an instance's start, asks every live conference to compare itself with Twilio. An
 * instance that died (SIGKILL, OOM) took with it the callbacks Twilio was delivering to it;
 * a lost leave of the agent's leg would otherwise leave its recovery `connected` forever.
 * Runs in the background: while the store or a dispatch fails it waits (250 ms doubling to
 * 10 s) and tries again; stop() ends it, waking any wait.
 */
export class StartupReconcile {
  readonly #o: Required<StartupReconcileOptions>;
  #stopped = false;
  /** The waits under way (a batch retries side by side): stop() wakes them all. */
  readonly #wakes = new Set<() => void>();
  #run: Promise<void> | null = null;

  constructor(options: StartupReconcileOptions) {
    this.#o = { batch: 8, pageSize: 500, minDelayMs: 250, maxDelayMs: 10_000, ...options };
  }

  start(): void {
    if (this.#run !== null) return;
    this.#run = this.#reconcileAll();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of [...this.#wakes]) wake();
    await this.#run;
  }

  /** Resolves once every live conference was asked (or stop() was called). */
  done(): Promise<void> {
    return this.#run ?? Promise.resolve();
  }

  async #reconcileAll(): Promise<void> {
    // One round per start: the effect key of each conference's reconcile is unique to it.
    const round = this.#o.now();
    const sids = await this.#retrying('list live conferences', () => this.#liveConferences());
    if (sids === null) return;
    for (let i = 0; i < sids.length && !this.#stopped; i += this.#o.batch) {
      await Promise.all(
        sids.slice(i, i + this.#o.batch).map((sid) =>
          this.#retrying(`reconcile ${sid}`, () =>
            this.#o.engine.dispatch({
              conferenceSid: sid,
              event: { type: 'reconcile.requested', at: this.#o.now(), round },
              source: 'startup',
            }),
          ),
        ),
      );
    }
    if (!this.#stopped) {
      this.#o.log.info({ conferences: sids.length }, 'start-up reconcile requested');
    }
  }

  /** Every page of the non-final conferences: the listing is paged, a busy one is long. */
  async #liveConferences(): Promise<string[]> {
    const sids = new Set<string>();
    for (let offset = 0; ; offset += this.#o.pageSize) {
      const page = await this.#o.store.listConferences({
        final: false,
        offset,
        limit: this.#o.pageSize,
      });
      for (const item of page.items) sids.add(item.conferenceSid);
      if (page.items.length < this.#o.pageSize || offset + this.#o.pageSize >= page.total) break;
    }
    return [...sids];
  }

  /** null when stopped before it succeeded. */
  async #retrying<T>(what: string, attempt: () => Promise<T>): Promise<T | null> {
    let delay = this.#o.minDelayMs;
    while (!this.#stopped) {
      try {
        return await attempt();
      } catch (error) {
        this.#o.log.warn(
          { err: describeError(error), delay },
          `start-up reconcile: ${what} failed`,
        );
        await this.#sleep(delay);
        delay = Math.min(this.#o.maxDelayMs, delay * 2);
      }
    }
    return null;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakes.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakes.add(wake);
    });
  }
}
