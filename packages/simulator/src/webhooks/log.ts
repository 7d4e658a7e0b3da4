import type { WebhookKind } from '../faults.ts';

/** One delivery attempt of one webhook, as the receiver saw it (or did not). */
export interface DeliveryAttempt {
  /** Same for every attempt (and duplicate) of one webhook. */
  webhookId: string;
  kind: WebhookKind;
  url: string;
  method: 'POST' | 'GET';
  /** Form fields (voice callbacks) or null (Event Streams: see body). */
  params: Record<string, string> | null;
  body: string | null;
  signature: string;
  attempt: number;
  duplicate: boolean;
  at: number;
  status: number | null;
  error: string | null;
  ok: boolean;
}

/** Every webhook attempt the simulator made, for tests and debugging. */
export class DeliveryLog {
  readonly attempts: DeliveryAttempt[] = [];
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  record(attempt: DeliveryAttempt): void {
    this.attempts.push(attempt);
  }

  of(kind: WebhookKind): DeliveryAttempt[] {
    return this.attempts.filter((a) => a.kind === kind);
  }

  started(): void {
    this.inFlight++;
  }

  finished(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  get pending(): number {
    return this.inFlight;
  }

  /** Resolves when no webhook is being delivered, retried or held. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
