/** The server the benches measure, built as production builds it (createServer). */
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.ts';
import { createServer } from '../src/server.ts';

export const hex = (n: number) => n.toString(16).padStart(32, '0');
export const AUTH = 'bench-auth-token';
export const BASE = 'https://lifeline.bench';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A server as production builds it; `redisUrl` undefined: the embedded in-memory store. */
export async function appOn(
  redisUrl?: string,
  env: Record<string, string> = {},
  options: { logs?: boolean } = {},
): Promise<FastifyInstance> {
  const config = loadConfig({
    TWILIO_ACCOUNT_SID: `AC${hex(1)}`,
    TWILIO_AUTH_TOKEN: AUTH,
    TWILIO_WORKSPACE_SID: `WS${hex(1)}`,
    RECOVERY_PING_WORKFLOW_SID: `WW${hex(2)}`,
    PUBLIC_BASE_URL: BASE,
    TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
    REDIS_KEY_PREFIX: `llbench-${process.pid}-${Date.now().toString(36)}`,
    ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl }),
    ...env,
  });
  // logs: at the configured level (info) into a sink, to count what production formats.
  const { app } = await createServer(config, {
    runLoops: false,
    ...(options.logs === true
      ? { logStream: { write: () => undefined } }
      : { fastify: { logger: false } }),
  });
  return app;
}

/**
 * Closes a server the bench built and deletes every key under its prefix: shard queues and
 * the listing never expire, so a bench that left them would grow a shared Redis for good.
 */
export async function closeAndClean(app: FastifyInstance, redisUrl?: string): Promise<void> {
  const prefix = app.lifeline.config.redisKeyPrefix;
  await app.close();
  if (redisUrl === undefined) return;
  const client = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A conference with a registered agent: conference, task, worker and reservation from `n`. */
export async function registerConference(
  app: FastifyInstance,
  n: number,
  worker: number = n,
): Promise<void> {
  await app.lifeline.engine.dispatch({
    conferenceSid: `CF${hex(n)}`,
    create: true,
    source: 'bench',
    event: {
      type: 'agent.registered',
      at: 0,
      taskSid: `WT${hex(n)}`,
      workflowSid: `WW${hex(1)}`,
      taskAttributes: {},
      customerCallSid: `CA${hex(1)}`,
      workerSid: `WK${hex(worker)}`,
      reservationSid: `WR${hex(worker)}`,
      workerCallSid: `CA${hex(2)}`,
      workerName: 'Bench',
    },
  });
}
