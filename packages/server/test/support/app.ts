import type { FastifyInstance } from 'fastify';
import RedisMock from 'ioredis-mock';
import { Redis } from 'ioredis';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { ServerConfig } from '../../src/config.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import type { RedisClient } from '../../src/store/scripts.ts';
import { createTwilio } from '../../src/twilio/client.ts';

export const AUTH_TOKEN = 'test-auth-token-not-a-secret';
export const PUBLIC_BASE_URL = 'https://lifeline.test';
const hex = (n: number) => n.toString(16).padStart(32, '0');
export const ACCOUNT_SID = `AC${hex(1)}`;
export const WORKSPACE_SID = `WS${hex(1)}`;
export const PING_WORKFLOW_SID = `WW${hex(99)}`;

export function testConfig(
  twilioUrl: string,
  overrides: Record<string, string> = {},
): ServerConfig {
  return loadConfig({
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_WORKSPACE_SID: WORKSPACE_SID,
    RECOVERY_PING_WORKFLOW_SID: PING_WORKFLOW_SID,
    PUBLIC_BASE_URL,
    TWILIO_API_BASE_URL: twilioUrl,
    FLEX_ORIGIN: 'https://flex.twilio.com',
    ...overrides,
  });
}

export type StoreKind = 'memory' | 'redis';

/** A client for the store: ioredis-mock, or real Redis at REDIS_URL. */
export function redisClient(kind: StoreKind): RedisClient {
  return kind === 'memory'
    ? new RedisMock()
    : new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
}

export function uniquePrefix(): string {
  return `lltest-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface TestAppOptions {
  twilioUrl: string;
  client: RedisClient;
  prefix: string;
  runLoops?: boolean;
  env?: Record<string, string>;
  now?: () => number;
}

/** An app as production builds it, on the given Redis and a fake or simulated Twilio. */
export async function testApp(options: TestAppOptions): Promise<FastifyInstance> {
  const config = testConfig(options.twilioUrl, options.env);
  const store = new RedisStore(options.client, {
    prefix: options.prefix,
    ...(options.now === undefined ? {} : { clock: options.now }),
  });
  const twilio = createTwilio({
    accountSid: config.twilio.accountSid,
    authToken: config.twilio.authToken,
    apiBaseUrl: config.twilio.apiBaseUrl,
    maxConcurrency: config.twilio.maxConcurrency,
  });
  const app = await buildApp({
    config,
    store,
    durable: true,
    twilio,
    runLoops: options.runLoops ?? false,
    ...(options.now === undefined ? {} : { now: options.now }),
    runner: { baseDelayMs: 5, maxDelayMs: 50, idleMs: 10 },
    timerTickMs: 10,
    fastify: { logger: false },
  });
  await app.ready();
  return app;
}
