import fp from 'fastify-plugin';
import type { RecoveryContext } from '@lifeline/machine';
import { FlexAuth } from '../auth/flex-auth.ts';
import type { ServerConfig } from '../config.ts';
import { EffectRunner } from '../effects/runner.ts';
import { createMetrics } from '../metrics.ts';
import type { Metrics } from '../metrics.ts';
import { Broadcaster } from '../recovery/broadcaster.ts';
import { RecoveryEngine } from '../recovery/engine.ts';
import type { CommitInfo } from '../recovery/engine.ts';
import { StartupReconcile } from '../recovery/startup-reconcile.ts';
import { TimerLoop } from '../recovery/timers.ts';
import { MissedJoins } from '../recovery/missed-joins.ts';
import type { RecoveryStore } from '../store/types.ts';
import { effectSlots } from '../twilio/client.ts';
import type { LifelineTwilio } from '../twilio/client.ts';

interface Services {
  config: ServerConfig;
  store: RecoveryStore;
  /** false for the embedded in-memory store: /readyz and the start-up log say so. */
  durable: boolean;
  twilio: LifelineTwilio;
  engine: RecoveryEngine;
  runner: EffectRunner;
  timers: TimerLoop;
  missedJoins: MissedJoins;
  auth: FlexAuth;
  metrics: Metrics;
  broadcaster: Broadcaster;
  now: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    lifeline: Services;
  }
}

export interface ServicesOptions {
  config: ServerConfig;
  store: RecoveryStore;
  durable: boolean;
  twilio: LifelineTwilio;
  now: () => number;
  /** Start the effect runner and timer loop when the app is ready (tests may drive them). */
  runLoops: boolean;
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

/**
 * The recovery engine, effect runner, timer loop, token cache and metrics as `app.lifeline`.
 * The loops start when the app is ready; on close they stop taking work, finish what is in
 * flight, and only then is the store closed.
 */
export const servicesPlugin = fp<ServicesOptions>(
  async (app, options) => {
    const { config, store, twilio, now } = options;
    const log = app.log;
    const metrics = createMetrics();
    const broadcaster = new Broadcaster(store);
    broadcaster.start();
    let runner: EffectRunner | null = null;
    const engine = new RecoveryEngine({
      store,
      now,
      machineConfig: config.recovery,
      onCommit: (info) => {
        broadcaster.publish(info);
        recordOutcome(metrics, info);
        if (info.effects > 0) runner?.poke(info.conferenceSid);
      },
    });
    runner = new EffectRunner({
      store,
      engine,
      metrics,
      log,
      now,
      // As many effects in flight as they have REST slots (each makes one request at a time).
      concurrency: effectSlots(config.twilio.maxConcurrency, config.twilio.authConcurrency),
      onResult: (conferenceSid) => broadcaster.touch(conferenceSid),
      executor: {
        client: twilio.client,
        accountSid: config.twilio.accountSid,
        workspaceSid: config.twilio.workspaceSid,
        recoveryPingWorkflowSid: config.twilio.recoveryPingWorkflowSid,
        announcementUrl: config.announcementUrl,
        publicBaseUrl: config.publicBaseUrl,
        holdUrl: `${config.publicBaseUrl}/twiml/hold`,
        redialCallbacks: (name) => store.redialCallbacks(name),
        effectDone: (conferenceSid, key) => store.isEffectDone(conferenceSid, key),
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
    const missedJoins = new MissedJoins({
      client: twilio.client,
      accountSid: config.twilio.accountSid,
      store,
      engine,
      log,
      now,
    });
    app.decorate('lifeline', {
      config,
      store,
      durable: options.durable,
      twilio,
      engine,
      runner,
      timers,
      missedJoins,
      auth: new FlexAuth(twilio, { now }),
      metrics,
      broadcaster,
      now,
    });

    // Callbacks Twilio sent to an instance that died are lost: each live conference compares
    // itself with Twilio once this instance is up (in the background: readiness waits not).
    const reconcile = new StartupReconcile({ store, engine, log, now });
    if (options.runLoops) {
      app.addHook('onReady', async () => {
        runner.start();
        timers.start();
        reconcile.start();
        // Joins lost while no instance listened (one killed mid-recovery): read from Twilio.
        missedJoins.start();
      });
    }
    app.addHook('onClose', async () => {
      await reconcile.stop();
      await missedJoins.stop();
      await timers.stop();
      await runner.stop();
      await broadcaster.stop();
      await store.close();
    });
  },
  { name: 'lifeline-services', fastify: '5.x' },
);
