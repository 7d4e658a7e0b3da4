import twilio from 'twilio';
import type { RealClock, Timer } from '../clock.ts';
import type { Faults } from '../faults.ts';
import type { JsonObject } from '../json.ts';
import type { Timing } from '../options.ts';
import { newSid } from '../sids.ts';
import type { World } from '../world/world.ts';
import { toCloudEvent } from './cloud-events.ts';
import { delivered, sendWebhook } from './http-post.ts';
import type { DeliveryLog } from './log.ts';
import type { Outbox } from './outbox.ts';

export interface EventStreamsContext {
  authToken: string;
  clock: RealClock;
  faults: Faults;
  log: DeliveryLog;
  timing: Timing;
  /** Whether a batch is delivered twice (Event Streams is at-least-once). */
  duplicate: () => boolean;
}

/** The URL Event Streams signs and calls: the sink's, with `bodySHA256` of the raw body added. */
export function signedSinkUrl(sinkUrl: string, body: string): string {
  const hash = twilio.getExpectedBodyHash(body);
  return `${sinkUrl}${sinkUrl.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
}

/**
 * A webhook sink (batch_events on by default): TaskRouter events become CloudEvents, gathered for a
 * short window and posted as one JSON array, signed over the URL carrying bodySHA256. A batch
 * the receiver does not take (non-2xx, no answer within the timeout, connection refused) is
 * retried with exponential backoff until it is taken or the give-up time passes: at least once.
 */
export class EventStreams {
  private sinkUrl: string | null;
  private batch: JsonObject[] = [];
  private timer: Timer | null = null;
  /** Every CloudEvent produced, in order, whether or not a sink is set. */
  readonly produced: JsonObject[] = [];

  constructor(
    world: World,
    private readonly outbox: Outbox,
    private readonly context: EventStreamsContext,
    sinkUrl: string | null,
    private readonly batchEvents = true,
  ) {
    this.sinkUrl = sinkUrl;
    const cloud = {
      accountSid: world.options.accountSid,
      workspaceSid: world.options.workspaceSid,
      workspaceName: world.options.workspaceName,
      schemaVersion: world.options.eventStreamsSchemaVersion,
    };
    world.events.on('taskrouter', (event) => this.add(toCloudEvent(cloud, event)));
  }

  /** Points the sink somewhere else (or nowhere, with null). */
  setSink(url: string | null): void {
    this.sinkUrl = url;
  }

  get sink(): string | null {
    return this.sinkUrl;
  }

  private add(event: JsonObject): void {
    this.produced.push(event);
    if (this.sinkUrl === null) return;
    this.batch.push(event);
    if (this.timer === null) {
      this.context.log.started();
      this.timer = this.context.clock.after(this.context.timing.eventStreamsBatchMs, () => {
        this.flush();
        this.context.log.finished();
      });
    }
  }

  private flush(): void {
    this.timer = null;
    const events = this.batch;
    this.batch = [];
    const sink = this.sinkUrl;
    if (events.length === 0 || sink === null) return;
    const bodies = this.batchEvents
      ? [JSON.stringify(events)]
      : events.map((e) => JSON.stringify(e));
    for (const body of bodies) {
      const webhookId = newSid('EV');
      this.outbox.push(
        { key: webhookId, send: (duplicate) => this.deliver(webhookId, sink, body, duplicate) },
        this.context.duplicate(),
      );
    }
  }

  private async deliver(
    webhookId: string,
    sink: string,
    body: string,
    duplicate: boolean,
  ): Promise<void> {
    const { clock, faults, log, timing, authToken } = this.context;
    const url = signedSinkUrl(sink, body);
    const signature = twilio.getExpectedTwilioSignature(authToken, url, {});
    const started = clock.now();
    let backoff = timing.eventStreamsInitialBackoffMs;
    for (let attempt = 1; ; attempt++) {
      const at = clock.now();
      const result = await sendWebhook(faults, {
        method: 'POST',
        url,
        headers: {
          'Content-Type': 'application/json',
          'X-Twilio-Signature': signature,
          'User-Agent': 'Twilio-Event-Streams',
        },
        body,
        timeoutMs: timing.eventStreamsTimeoutMs,
      });
      const ok = delivered(result);
      log.record({
        webhookId,
        kind: 'event-streams',
        url,
        method: 'POST',
        params: null,
        body,
        signature,
        attempt,
        duplicate,
        at,
        status: result.status,
        error: result.error,
        ok,
      });
      if (ok) return;
      if (clock.now() + backoff - started > timing.eventStreamsGiveUpMs) return;
      await clock.sleep(backoff);
      backoff = Math.min(backoff * 2, timing.eventStreamsMaxBackoffMs);
    }
  }
}
