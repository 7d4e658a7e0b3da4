import { describe, expect, it } from 'vitest';
import { ConfigError, envSource, resolveConfig } from '../../src/core/index.ts';

describe('resolveConfig', () => {
  it('takes the first source that sets a key and trims the URL', () => {
    const config = resolveConfig([
      { serverUrl: 'https://ui-attributes.test/', autoAcceptReconnect: false },
      { serverUrl: 'https://app-config.test', autoAcceptPing: false },
      envSource({ FLEX_APP_LIFELINE_URL: 'https://env.test' }),
    ]);
    expect(config).toEqual({
      serverUrl: 'https://ui-attributes.test',
      autoAcceptPing: false,
      autoAcceptReconnect: false,
      participantWaitMs: 15_000,
      pollIntervalMs: 3_000,
    });
  });

  it('falls back to the build-time env, whose flags are text', () => {
    const config = resolveConfig([
      null,
      undefined,
      envSource({
        FLEX_APP_LIFELINE_URL: 'https://env.test',
        FLEX_APP_LIFELINE_AUTO_ACCEPT_RECONNECT: 'false',
      }),
    ]);
    expect(config.serverUrl).toBe('https://env.test');
    expect(config.autoAcceptPing).toBe(true);
    expect(config.autoAcceptReconnect).toBe(false);
  });

  it('ignores values of the wrong type and says how to set the URL when none is given', () => {
    expect(() => resolveConfig([{ serverUrl: 42, autoAcceptPing: 'yes' }])).toThrow(ConfigError);
    expect(() => resolveConfig([])).toThrow(/FLEX_APP_LIFELINE_URL/);
  });
});
