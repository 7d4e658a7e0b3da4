import type { FastifyBaseLogger } from 'fastify';
import type { RecoveryContext } from '@lifeline/machine';
import type { ServerConfig } from './config.ts';
import { EffectRunner } from './effects/runner.ts';
import { createMetrics } from './metrics.ts';
import type { Metrics } from './metrics.ts';
import { FlexAuth } from './plugins/flex-auth.ts';
import { Broadcaster } from './recovery/broadcaster.ts';
import { RecoveryEngine } from './recovery/engine.ts';
import type { CommitInfo } from './recovery/engine.ts';
import { TimerLoop } from './recovery/timers.ts';
import type { RecoveryStore } from './store/types.ts';
import type { LifelineTwilio } from './twilio/client.ts';

export interface Services {
  config: ServerConfig;
  store: RecoveryStore;
  twilio: LifelineTwilio;
  engine: RecoveryEngine;
  runner: EffectRunner;
  timers: TimerLoop;
  auth: FlexAuth;
  metrics: Metrics;
  broadcaster: Broadcaster;
  now: () => number;
}

export interface ServiceOptions {
  config: ServerConfig;
  store: RecoveryStore;
  twilio: LifelineTwilio;
  log: FastifyBaseLogger;
  now?: () => number;
  /** Effect runner tuning (tests shorten backoff). */
  runner?: { baseDelayMs?: number; maxDelayMs?: number; leaseMs?: number; idleMs?: number };
  timerTickMs?: number;
}

function recordOutcome(metrics: Metrics, info: CommitInfo): void {
  if (!info.final) return;
  const context = (info.snapshot as { context?: RecoveryContext }).context;
  if (context?.recovery === null || context?.recovery === undefined) return;
  const outcome = context.outcome;
  metrics.recoveries.inc({
    outcome:
      outcome === null ? 'unknown' : outcome.kind === 'recovered' ? 'recovered' : outcome.reason,
  });
  if (outcome !== null) {
    metrics.recoveryDuration.observe((outcome.at - context.recovery.disconnectedAt) / 1000);
  }
}

export function createServices(options: ServiceOptions): Services {
  const { config, store, twilio, log } = options;
  const now = options.now ?? Date.now;
  const metrics = createMetrics();
  const broadcaster = new Broadcaster();
  let runner: EffectRunner | null = null;
  const engine = new RecoveryEngine({
    store,
    now,
    machineConfig: {
      pingTtlS: config.recovery.pingTtlS,
      // Our own bound, in case TaskRouter's TTL cancel is lost: the TTL plus a grace of a
      // third of it, at most 5 s (15 s TTL: 20 s).
      pingTimeoutMs:
        config.recovery.pingTtlS * 1000 +
        Math.min(5000, Math.round((config.recovery.pingTtlS * 1000) / 3)),
      pingPriority: 1000,
      reconnectTimeoutMs: config.recovery.reconnectTimeoutS * 1000,
      reconnectPriority: config.recovery.reconnectPriority,
    },
    onCommit: (info) => {
      broadcaster.publish(info);
      recordOutcome(metrics, info);
      if (info.effects > 0) runner?.poke();
    },
  });
  runner = new EffectRunner({
    store,
    engine,
    metrics,
    log,
    now,
    concurrency: config.twilio.maxConcurrency,
    executor: {
      client: twilio.client,
      accountSid: config.twilio.accountSid,
      workspaceSid: config.twilio.workspaceSid,
      recoveryPingWorkflowSid: config.twilio.recoveryPingWorkflowSid,
      announcementUrl: config.announcementUrl,
      publicBaseUrl: config.publicBaseUrl,
      holdUrl: `${config.publicBaseUrl}/twiml/hold`,
      now,
    },
    ...options.runner,
  });
  const timers = new TimerLoop({
    store,
    engine,
    metrics,
    log,
    now,
    ...(options.timerTickMs === undefined ? {} : { tickMs: options.timerTickMs }),
  });
  return {
    config,
    store,
    twilio,
    engine,
    runner,
    timers,
    auth: new FlexAuth(twilio, 60_000, now),
    metrics,
    broadcaster,
    now,
  };
}
