import type { FastifyInstance } from 'fastify';
import RedisMock from 'ioredis-mock';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.ts';
import type { ServerConfig } from '../../src/config.ts';
import { createServer } from '../../src/server.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import type { RedisClient } from '../../src/store/scripts.ts';
import { REQUIRED_ENV } from './env.ts';

export const AUTH_TOKEN = REQUIRED_ENV.TWILIO_AUTH_TOKEN;
export const PUBLIC_BASE_URL = REQUIRED_ENV.PUBLIC_BASE_URL;
export const ACCOUNT_SID = REQUIRED_ENV.TWILIO_ACCOUNT_SID;

export function testConfig(
  twilioUrl: string,
  overrides: Record<string, string> = {},
): ServerConfig {
  return loadConfig({
    ...REQUIRED_ENV,
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
  /** Packed values as bytes, as production keeps them on a real Redis (connect.ts). */
  binary?: boolean;
}

/** An app as production builds it, on the given Redis and a fake or simulated Twilio. */
export async function testApp(options: TestAppOptions): Promise<FastifyInstance> {
  const config = testConfig(options.twilioUrl, options.env);
  const store = new RedisStore(options.client, {
    prefix: options.prefix,
    binary: options.binary ?? false,
    ...(options.now === undefined ? {} : { clock: options.now }),
  });
  // The store is the test's (its client and prefix); Twilio is built from the config, as in
  // production, pointed at the fake.
  const { app } = await createServer(config, {
    store: { store, durable: true },
    runLoops: options.runLoops ?? false,
    ...(options.now === undefined ? {} : { now: options.now }),
    runner: { baseDelayMs: 5, maxDelayMs: 50, idleMs: 10 },
    timerTickMs: 10,
    fastify: { logger: false },
  });
  return app;
}
