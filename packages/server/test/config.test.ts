import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const hex = (n: number) => n.toString(16).padStart(32, '0');
const required = {
  TWILIO_ACCOUNT_SID: `AC${hex(1)}`,
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_WORKSPACE_SID: `WS${hex(1)}`,
  RECOVERY_PING_WORKFLOW_SID: `WW${hex(1)}`,
  PUBLIC_BASE_URL: 'https://lifeline.test',
};

describe('REDIS_KEY_PREFIX', () => {
  it('defaults to ll and takes a prefix of its own', () => {
    expect(loadConfig(required).redisKeyPrefix).toBe('ll');
    expect(loadConfig({ ...required, REDIS_KEY_PREFIX: 'e2e-run:7' }).redisKeyPrefix).toBe(
      'e2e-run:7',
    );
  });

  it('refuses a brace, which would become every key’s Cluster hash tag', () => {
    expect(() => loadConfig({ ...required, REDIS_KEY_PREFIX: 'a{b}' })).toThrow(ConfigError);
  });
});
