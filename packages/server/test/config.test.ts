import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseClusterNodes, variables } from '../src/config.ts';
import { REQUIRED_ENV } from './support/env.ts';

const load = (env: Record<string, string> = {}) => loadConfig({ ...REQUIRED_ENV, ...env });

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('lists every missing or invalid variable in one error', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud' });
    expect(problems.join('\n')).toMatch(/TWILIO_ACCOUNT_SID is required/);
    expect(problems.join('\n')).toMatch(/PUBLIC_BASE_URL is required/);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL must be one of/);
    expect(problems).toHaveLength(7);
  });

  it('takes LOG_LEVEL, info by default', () => {
    expect(load().logLevel).toBe('info');
    expect(load({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(load({ LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
  });

  it('takes the recovery tunables, with the defaults the proof of concept used', () => {
    expect(load().recovery).toEqual({
      pingTtlS: 15,
      pingTimeoutMs: 20_000,
      pingCreateTimeoutMs: 30_000,
      pingPriority: 1000,
      reconnectTimeoutMs: 60_000,
      reconnectPriority: 1000,
      redialTimeoutMs: 30_000,
    });
    expect(
      load({
        PING_TIMEOUT_S: '6',
        PING_CREATE_TIMEOUT_S: '12',
        PING_PRIORITY: '50',
        RECONNECT_TIMEOUT_S: '30',
        RECONNECT_PRIORITY: '2000',
        REDIAL_TIMEOUT_S: '45',
      }).recovery,
    ).toEqual({
      pingTtlS: 6,
      // The TTL plus a third of it.
      pingTimeoutMs: 8000,
      pingCreateTimeoutMs: 12_000,
      pingPriority: 50,
      reconnectTimeoutMs: 30_000,
      reconnectPriority: 2000,
      redialTimeoutMs: 45_000,
    });
    expect(problemsOf({ ...REQUIRED_ENV, PING_PRIORITY: '-1' })).toEqual([
      'PING_PRIORITY must be a whole number from 0 to 2147483647, got "-1"',
    ]);
  });

  it("keeps the token checks' REST slots out of the account's TWILIO_MAX_CONCURRENCY", () => {
    expect(load().twilio).toMatchObject({ maxConcurrency: 50, authConcurrency: 8 });
    expect(problemsOf({ ...REQUIRED_ENV, TWILIO_MAX_CONCURRENCY: '8' })).toEqual([
      'AUTH_MAX_CONCURRENCY (8) must be below TWILIO_MAX_CONCURRENCY (8): its slots are a ' +
        "share of the account's",
    ]);
    expect(load({ TWILIO_MAX_CONCURRENCY: '9' }).twilio.maxConcurrency).toBe(9);
  });

  it('takes SHUTDOWN_GRACE_S, 10 by default', () => {
    expect(load().shutdownGraceS).toBe(10);
    expect(load({ SHUTDOWN_GRACE_S: '3' }).shutdownGraceS).toBe(3);
  });
});

describe('documentation', () => {
  const root = new URL('../../../', import.meta.url);
  it.each(['README.md', '.env.example'])('%s names every variable', (file) => {
    const text = readFileSync(new URL(file, root), 'utf8');
    const missing = Object.keys(variables).filter((name) => !text.includes(name));
    expect(missing).toEqual([]);
  });
});

describe('Redis configuration', () => {
  it('is the embedded in-memory store when neither REDIS_URL nor cluster nodes are set', () => {
    expect(load().redis).toEqual({ kind: 'memory' });
  });

  it('moves credentials out of REDIS_URL, so the URL is safe to log', () => {
    expect(load({ REDIS_URL: 'redis://app:p%40ss@cache.internal:6380/2' }).redis).toEqual({
      kind: 'single',
      url: 'redis://cache.internal:6380/2',
      username: 'app',
      password: 'p@ss',
      tls: false,
    });
  });

  it('gives REDIS_USERNAME and REDIS_PASSWORD to a single Redis', () => {
    expect(
      load({
        REDIS_URL: 'redis://cache.internal:6379',
        REDIS_USERNAME: 'app',
        REDIS_PASSWORD: 's3cret',
      }).redis,
    ).toEqual({
      kind: 'single',
      url: 'redis://cache.internal:6379',
      username: 'app',
      password: 's3cret',
      tls: false,
    });
  });

  it('uses TLS for rediss:// and for REDIS_TLS=true', () => {
    expect(load({ REDIS_URL: 'rediss://cache.internal:6380' }).redis).toMatchObject({
      kind: 'single',
      tls: true,
    });
    expect(load({ REDIS_URL: 'redis://cache.internal', REDIS_TLS: 'true' }).redis).toMatchObject({
      tls: true,
    });
  });

  it('gives credentials and TLS to a Cluster', () => {
    expect(
      load({
        REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001',
        REDIS_USERNAME: 'app',
        REDIS_PASSWORD: 's3cret',
        REDIS_TLS: 'true',
      }).redis,
    ).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      username: 'app',
      password: 's3cret',
      tls: true,
    });
  });

  it('refuses both REDIS_URL and REDIS_CLUSTER_NODES, other schemes and bad REDIS_TLS', () => {
    expect(
      problemsOf({ ...REQUIRED_ENV, REDIS_URL: 'redis://h', REDIS_CLUSTER_NODES: 'h:7000' }),
    ).toEqual(['set REDIS_URL or REDIS_CLUSTER_NODES, not both']);
    expect(problemsOf({ ...REQUIRED_ENV, REDIS_URL: 'http://user:s3cret@h' })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL',
    ]);
    expect(problemsOf({ ...REQUIRED_ENV, REDIS_URL: 'redis://h', REDIS_TLS: 'maybe' })).toEqual([
      'REDIS_TLS must be true or false, got "maybe"',
    ]);
  });

  it('parses cluster nodes', () => {
    expect(parseClusterNodes(' 10.0.0.1:7000, redis-b:7001 ,')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
    ]);
    for (const bad of ['', ',', 'host', ':7000', 'host:0', 'host:x', 'host:70000']) {
      expect(() => parseClusterNodes(bad), bad).toThrow();
    }
  });
});

describe('REDIS_KEY_PREFIX', () => {
  it('defaults to ll and takes a prefix of its own', () => {
    expect(load().redisKeyPrefix).toBe('ll');
    expect(load({ REDIS_KEY_PREFIX: 'e2e-run:7' }).redisKeyPrefix).toBe('e2e-run:7');
  });

  it('refuses a brace, which would become every key’s Cluster hash tag', () => {
    expect(() => load({ REDIS_KEY_PREFIX: 'a{b}' })).toThrow(ConfigError);
  });
});
