import type { RecoverySnapshot } from '@lifeline/machine';

/** A conference as this instance last loaded or committed it. */
export interface CachedRecovery {
  version: number;
  snapshot: RecoverySnapshot;
  /** The listing summary this instance last stored with it (JSON), when it did. */
  summary?: string;
}

/**
 * The restored snapshots of the conferences this instance touched last, so a webhook need not
 * read and restore what this instance just wrote. Redis stays the truth: every commit is a
 * compare-and-set on the cached version, and a conflict (another instance moved it on, or the
 * keys expired) drops the entry and reloads. Bounded: the least recently used goes first.
 */
export class SnapshotCache {
  readonly #entries = new Map<string, CachedRecovery>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`capacity must be an integer >= 0, got ${capacity}.`);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get(conferenceSid: string): CachedRecovery | undefined {
    const entry = this.#entries.get(conferenceSid);
    if (entry === undefined) return undefined;
    // A Map iterates in insertion order: re-inserting makes it the most recent.
    this.#entries.delete(conferenceSid);
    this.#entries.set(conferenceSid, entry);
    return entry;
  }

  set(conferenceSid: string, entry: CachedRecovery): void {
    if (this.capacity === 0) return;
    this.#entries.delete(conferenceSid);
    this.#entries.set(conferenceSid, entry);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  delete(conferenceSid: string): void {
    this.#entries.delete(conferenceSid);
  }
}
