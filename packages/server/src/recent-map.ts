/**
 * A Map of at most `capacity` entries where the least recently used goes first: the bound of
 * what an instance remembers of the conferences it touched last (recovery/snapshot-cache.ts,
 * store/timeline-cache.ts). Redis stays the truth; these only save reads and work.
 */
export class RecentMap<V> {
  readonly #entries = new Map<string, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`capacity must be an integer >= 0, got ${capacity}.`);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry, now the most recent. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // A Map iterates in insertion order: re-inserting makes it the most recent.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: V): void {
    if (this.capacity === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
