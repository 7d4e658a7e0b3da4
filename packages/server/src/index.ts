export { buildApp, logOptions } from './app.ts';
export type { AppOptions } from './app.ts';
export { loadConfig, ConfigError, variables } from './config.ts';
export type { ServerConfig } from './config.ts';
export { createTwilio } from './twilio/client.ts';
export type { LifelineTwilio } from './twilio/client.ts';
export { createRedisStore, connectRedis, RedisStore } from './store/index.ts';
export type { RecoveryStore } from './store/types.ts';
