import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { RecoveryStore } from '../store/types.ts';
import type { CommitInfo } from './engine.ts';

/**
 * A conference changed. `info` is set for this instance's own commits (the snapshot is at
 * hand); other instances' changes carry only the version (0: not a commit, e.g. an effect
 * result), so a stream reads the store once per change instead of polling it.
 */
export interface Change {
  conferenceSid: string;
  version: number;
  info?: CommitInfo;
}

/** How often shared housekeeping runs for open streams (token re-checks, keep-alives). */
const TICK_MS = 1_000;

/**
 * Wakes this instance's SSE streams when a conference changes: its own commits directly, other
 * instances' through one Redis pub/sub subscription per instance, fanned out in process. After
 * the subscriber reconnects every open stream is woken once, since changes may have been
 * missed meanwhile. Streams' periodic work shares one timer instead of one each.
 */
export class Broadcaster {
  readonly #emitter = new EventEmitter();
  readonly #origin = randomUUID();
  readonly #ticks = new Set<() => void>();
  #ticker: NodeJS.Timeout | null = null;
  #unwatch: (() => Promise<void>) | null = null;

  constructor(private readonly store: RecoveryStore) {
    this.#emitter.setMaxListeners(0);
  }

  /** Subscribes to other instances' changes. */
  start(): void {
    if (this.#unwatch !== null) return;
    this.#unwatch = this.store.watchChanges(
      (change) => {
        if (change.origin === this.#origin) return;
        this.#emitter.emit(change.conferenceSid, {
          conferenceSid: change.conferenceSid,
          version: change.version,
        } satisfies Change);
      },
      () => {
        for (const name of this.#emitter.eventNames()) {
          if (typeof name !== 'string') continue;
          this.#emitter.emit(name, { conferenceSid: name, version: 0 } satisfies Change);
        }
      },
    );
  }

  async stop(): Promise<void> {
    if (this.#ticker !== null) clearInterval(this.#ticker);
    this.#ticker = null;
    const unwatch = this.#unwatch;
    this.#unwatch = null;
    await unwatch?.();
  }

  /** A commit of this instance: streams here get it at once, other instances through Redis. */
  publish(info: CommitInfo): void {
    this.#emitter.emit(info.conferenceSid, {
      conferenceSid: info.conferenceSid,
      version: info.version,
      info,
    } satisfies Change);
    this.store.publishChange({
      origin: this.#origin,
      conferenceSid: info.conferenceSid,
      version: info.version,
    });
  }

  /** A change that is not a commit (an effect result in the timeline), everywhere. */
  touch(conferenceSid: string): void {
    this.#emitter.emit(conferenceSid, { conferenceSid, version: 0 } satisfies Change);
    this.store.publishChange({ origin: this.#origin, conferenceSid, version: 0 });
  }

  subscribe(conferenceSid: string, listener: (change: Change) => void): () => void {
    this.#emitter.on(conferenceSid, listener);
    return () => this.#emitter.off(conferenceSid, listener);
  }

  /** Runs `task` about every second while subscribed; one timer serves every stream. */
  every(task: () => void): () => void {
    this.#ticks.add(task);
    if (this.#ticker === null) {
      this.#ticker = setInterval(() => {
        for (const tick of this.#ticks) tick();
      }, TICK_MS);
      this.#ticker.unref();
    }
    return () => {
      this.#ticks.delete(task);
      if (this.#ticks.size === 0 && this.#ticker !== null) {
        clearInterval(this.#ticker);
        this.#ticker = null;
      }
    };
  }
}
