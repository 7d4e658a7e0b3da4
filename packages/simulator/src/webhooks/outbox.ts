import type { RealClock } from '../clock.ts';
import type { Faults, WebhookKind } from '../faults.ts';
import type { DeliveryLog } from './log.ts';

export interface OutboxJob {
  /** Jobs with the same key go out one after another (one conference's callbacks). */
  key: string;
  /** Sends the webhook, retrying as its kind does. `duplicate` marks the faulted copy. */
  send(duplicate: boolean): Promise<void>;
}

/** How long held (reordered) webhooks wait for the rest of their group before going out anyway. */
const reorderFlushMs = 500;

/**
 * Orders webhook deliveries: one after another per key, like a stream, with faults applied
 * on the way: duplicates, delays (sent outside the stream, so later ones overtake) and
 * reordering (a group held back and sent in reverse).
 */
export class Outbox {
  private readonly chains = new Map<string, Promise<void>>();
  private held: OutboxJob[] = [];
  private heldTimer: { cancel(): void } | null = null;

  constructor(
    private readonly kind: WebhookKind,
    private readonly faults: Faults,
    private readonly clock: RealClock,
    private readonly log: DeliveryLog,
    /** false: every job goes out at once, whatever its key. */
    private readonly ordered = true,
    /** Delivery delay drawn for each job (Twilio's own lag between an event and its webhook). */
    private readonly lagMs: () => number = () => 0,
  ) {}

  /** `duplicate`: also deliver the job a second time (at-least-once), apart from any fault. */
  push(job: OutboxJob, duplicate = false): void {
    const plan = this.faults.planWebhook(this.kind);
    if (duplicate) this.enqueue(job, true);
    if (plan.reorder) {
      this.hold(job);
      return;
    }
    if (plan.delayMs > 0) {
      this.log.started();
      this.clock.after(plan.delayMs, () => {
        void job.send(false).finally(() => this.log.finished());
      });
    } else {
      this.enqueue(job, false);
    }
    if (plan.duplicate) this.enqueue(job, true);
  }

  private hold(job: OutboxJob): void {
    this.log.started();
    this.held.push(job);
    this.heldTimer?.cancel();
    if (!this.faults.reorderPending(this.kind)) {
      this.release();
      return;
    }
    this.heldTimer = this.clock.after(reorderFlushMs, () => this.release());
  }

  private release(): void {
    this.heldTimer?.cancel();
    this.heldTimer = null;
    const group = this.held.reverse();
    this.held = [];
    for (const job of group) {
      this.enqueue(job, false);
      this.log.finished();
    }
  }

  private enqueue(job: OutboxJob, duplicate: boolean): void {
    this.log.started();
    if (!this.ordered) {
      const lag = this.lagMs();
      void (lag > 0 ? this.clock.sleep(lag) : Promise.resolve())
        .then(() => job.send(duplicate))
        .catch(() => undefined)
        .finally(() => this.log.finished());
      return;
    }
    const previous = this.chains.get(job.key) ?? Promise.resolve();
    const lag = this.lagMs();
    const next = previous
      .then(() => (lag > 0 ? this.clock.sleep(lag) : undefined))
      .then(() => job.send(duplicate))
      .finally(() => this.log.finished());
    const settled = next.catch(() => undefined);
    this.chains.set(job.key, settled);
    void settled.then(() => {
      if (this.chains.get(job.key) === settled) this.chains.delete(job.key);
    });
  }
}
