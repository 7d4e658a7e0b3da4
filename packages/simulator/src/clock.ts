/** A cancellable scheduled callback. */
export interface Timer {
  cancel(): void;
}

/**
 * Time as the simulator sees it. Real time, but every timer goes through here so `close()`
 * can cancel what is pending and tests can observe the clock.
 */
export interface Clock {
  now(): number;
  after(ms: number, fn: () => void): Timer;
}

export class RealClock implements Clock {
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  now(): number {
    return Date.now();
  }

  after(ms: number, fn: () => void): Timer {
    if (this.closed) return { cancel: () => undefined };
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        fn();
      },
      Math.max(0, ms),
    );
    this.pending.add(handle);
    return {
      cancel: () => {
        clearTimeout(handle);
        this.pending.delete(handle);
      },
    };
  }

  /** Promise form of `after`, for async flows (agents, retries). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  get pendingTimers(): number {
    return this.pending.size;
  }

  close(): void {
    this.closed = true;
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}
