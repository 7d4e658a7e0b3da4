import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import { logOptions, serverSecrets } from './logging.ts';
import { createRedisStore } from './store/connect.ts';
import type { RecoveryStore } from './store/types.ts';
import { createTwilio } from './twilio/client.ts';
import type { LifelineTwilio } from './twilio/client.ts';

/** What a caller may replace or tune; production (main.ts) passes none of it. */
export interface ServerOverrides {
  now?: () => number;
  /** Start the effect runner and timer loop (default true); tests may drive them by hand. */
  runLoops?: boolean;
  runner?: { baseDelayMs?: number; maxDelayMs?: number; leaseMs?: number; idleMs?: number };
  timerTickMs?: number;
  /** Merged over the server's own options, e.g. `{ logger: false }` in tests. */
  fastify?: FastifyServerOptions;
  /** A store of the caller's instead of one from `config.redis`; it is closed with the server. */
  store?: { store: RecoveryStore; durable: boolean };
  /** Where the server's log lines go (default stdout); tests capture them here. */
  logStream?: { write(line: string): void };
  /** A Twilio client of the caller's instead of one from `config.twilio`. */
  twilio?: LifelineTwilio;
}

export interface LifelineServer {
  /** Ready (loops running unless runLoops is false), not yet listening. */
  app: FastifyInstance;
  /** false for the embedded in-memory store. */
  durable: boolean;
  /** Stops taking work, finishes what is in flight, closes the store. */
  close(): Promise<void>;
}

/**
 * The composition root: configuration → store → Twilio client → app. Every way of running
 * Lifeline (main.ts, the e2e stacks, the tests, the bench) builds its server here.
 */
export async function createServer(
  config: ServerConfig,
  overrides: ServerOverrides = {},
): Promise<LifelineServer> {
  const connection =
    overrides.store === undefined
      ? createRedisStore(config.redis, {
          prefix: config.redisKeyPrefix,
          liveTtlS: config.liveConferenceTtlS,
        })
      : { ...overrides.store, target: null };
  const twilio =
    overrides.twilio ??
    createTwilio({
      accountSid: config.twilio.accountSid,
      authToken: config.twilio.authToken,
      apiBaseUrl: config.twilio.apiBaseUrl,
      maxConcurrency: config.twilio.maxConcurrency,
      authConcurrency: config.twilio.authConcurrency,
    });
  let app: FastifyInstance;
  try {
    app = await buildApp({
      config,
      store: connection.store,
      durable: connection.durable,
      twilio,
      now: overrides.now ?? Date.now,
      runLoops: overrides.runLoops ?? true,
      ...(overrides.runner === undefined ? {} : { runner: overrides.runner }),
      ...(overrides.timerTickMs === undefined ? {} : { timerTickMs: overrides.timerTickMs }),
      fastify: {
        logger: {
          ...logOptions(
            config.logLevel,
            serverSecrets(config.twilio.accountSid, config.twilio.authToken),
          ),
          ...(overrides.logStream === undefined ? {} : { stream: overrides.logStream }),
        },
        ...overrides.fastify,
      },
    });
  } catch (error) {
    await connection.store.close().catch(() => undefined);
    throw error;
  }

  if (!connection.durable) {
    app.log.warn(
      'NO REDIS: using the embedded in-memory store, not durable. Recoveries are lost on ' +
        'restart and not shared between instances. Set REDIS_URL or REDIS_CLUSTER_NODES in ' +
        'production.',
    );
  } else if (connection.target !== null) {
    // The target never holds credentials (config moves them out of REDIS_URL).
    app.log.info({ redis: connection.target }, 'store: Redis');
  }
  if (config.twilio.apiBaseUrl !== null) {
    app.log.warn(
      { twilioApiBaseUrl: config.twilio.apiBaseUrl },
      'Twilio REST requests go to a custom origin',
    );
  }

  try {
    await app.ready();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return { app, durable: connection.durable, close: () => app.close() };
}
