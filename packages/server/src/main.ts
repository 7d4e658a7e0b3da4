/**
 * Starts the Lifeline server from environment variables. Everything else is in app.ts; this
 * file only wires configuration, Redis and Twilio, listens, and shuts down on SIGTERM/SIGINT.
 */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createRedisStore } from './store/connect.ts';
import { createTwilio } from './twilio/client.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee README.md (Configuration) and .env.example.\n`);
      process.exit(2);
    }
    throw error;
  }
  const connection = createRedisStore(config.redis, {
    prefix: config.redisKeyPrefix,
    liveTtlS: config.liveConferenceTtlS,
  });
  const twilio = createTwilio({
    accountSid: config.twilio.accountSid,
    authToken: config.twilio.authToken,
    apiBaseUrl: config.twilio.apiBaseUrl,
    maxConcurrency: config.twilio.maxConcurrency,
  });
  const app = await buildApp({
    config,
    store: connection.store,
    durable: connection.durable,
    twilio,
  });
  if (!connection.durable) {
    app.log.warn(
      'NO REDIS_URL: using the embedded in-memory store. Recoveries are lost on restart and not ' +
        'shared between instances. Set REDIS_URL or REDIS_CLUSTER_NODES in production.',
    );
  } else {
    app.log.info({ redis: connection.target }, 'store: Redis');
  }
  if (config.twilio.apiBaseUrl !== null) {
    app.log.warn(
      { twilioApiBaseUrl: config.twilio.apiBaseUrl },
      'Twilio REST requests go to a custom origin',
    );
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight work');
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `lifeline: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
