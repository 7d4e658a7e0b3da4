export * from './types.ts';
export { RedisStore, DEFAULT_FINAL_TTL_S, DEFAULT_TIMELINE_CAP } from './redis-store.ts';
export type { RedisStoreOptions } from './redis-store.ts';
export { connectRedis, createRedisStore, redactRedisUrl, parseClusterNodes } from './connect.ts';
export type { RedisConnection, RedisEnv, RedisMode, StoreConnection } from './connect.ts';
export { KeyLayout, shardOf, shardTag } from './keys.ts';
export { CommitFailure, StoreReplyError } from './codec.ts';
export type { RedisClient } from './scripts.ts';
