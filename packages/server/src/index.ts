/** @lifeline/server: one factory builds the server; main.ts runs it from the environment. */
export { createServer } from './server.ts';
export type { LifelineServer, ServerOverrides } from './server.ts';
export { loadConfig, ConfigError } from './config.ts';
export type { LogLevel, RedisConfig, RedisNode, ServerConfig } from './config.ts';
export { connectRedis, createRedisStore } from './store/connect.ts';
export type { RedisConnection, StoreConnection } from './store/connect.ts';
export { RedisStore } from './store/redis-store.ts';
export { KeyLayout, splitMember } from './store/keys.ts';
export { SHARD_COUNT } from './store/types.ts';
export type { OutboxEffect, RecoveryStore } from './store/types.ts';
export type { EffectStartListener } from './effects/runner.ts';
export { createTwilio } from './twilio/client.ts';
export type { LifelineTwilio } from './twilio/client.ts';
