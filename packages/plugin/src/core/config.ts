/**
 * Plugin settings, read the Flex way: `ui_attributes.lifeline` of the Flex configuration
 * (set with the Flex Configuration API), then appConfig (`window.appConfig.lifeline`, merged
 * by Flex into `manager.configuration`), then the build-time env `FLEX_APP_LIFELINE_URL`.
 */
export interface LifelineConfig {
  /** Base URL of the Lifeline server, without a trailing slash. */
  serverUrl: string;
  /** Accept the Recovery Ping task for the agent: it only tells the server the agent is back. */
  autoAcceptPing: boolean;
  /** Accept the reconnect task targeted at this agent, which puts the customer back on the line. */
  autoAcceptReconnect: boolean;
  /** How long to wait after accept for both legs to show in the task's conference. */
  participantWaitMs: number;
  /** How often to ask GET /recovery while the event stream is down. */
  pollIntervalMs: number;
}

export const defaultConfig: Omit<LifelineConfig, 'serverUrl'> = {
  autoAcceptPing: true,
  autoAcceptReconnect: true,
  participantWaitMs: 15_000,
  pollIntervalMs: 3_000,
};

/** One place settings can come from; the first that sets a key wins. */
export type ConfigSource = Record<string, unknown> | null | undefined;

function pick<T>(sources: ConfigSource[], key: string, ok: (v: unknown) => v is T): T | undefined {
  for (const source of sources) {
    const value = source?.[key];
    if (ok(value)) return value;
  }
  return undefined;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isFlag = (v: unknown): v is boolean => typeof v === 'boolean';
const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Env values are text: "false" and "0" switch a flag off. */
export function envSource(env: Record<string, string | undefined>): Record<string, unknown> {
  const flag = (raw: string | undefined) =>
    raw === undefined ? undefined : !['false', '0', 'no', 'off'].includes(raw.toLowerCase());
  return {
    serverUrl: env['FLEX_APP_LIFELINE_URL'],
    autoAcceptPing: flag(env['FLEX_APP_LIFELINE_AUTO_ACCEPT_PING']),
    autoAcceptReconnect: flag(env['FLEX_APP_LIFELINE_AUTO_ACCEPT_RECONNECT']),
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function resolveConfig(sources: ConfigSource[]): LifelineConfig {
  const serverUrl = pick(sources, 'serverUrl', isText) ?? pick(sources, 'url', isText);
  if (serverUrl === undefined) {
    throw new ConfigError(
      'Lifeline has no server URL: set ui_attributes.lifeline.serverUrl in the Flex configuration, ' +
        'or FLEX_APP_LIFELINE_URL when building the plugin.',
    );
  }
  return {
    serverUrl: serverUrl.trim().replace(/\/+$/, ''),
    autoAcceptPing: pick(sources, 'autoAcceptPing', isFlag) ?? defaultConfig.autoAcceptPing,
    autoAcceptReconnect:
      pick(sources, 'autoAcceptReconnect', isFlag) ?? defaultConfig.autoAcceptReconnect,
    participantWaitMs: pick(sources, 'participantWaitMs', isMs) ?? defaultConfig.participantWaitMs,
    pollIntervalMs: pick(sources, 'pollIntervalMs', isMs) ?? defaultConfig.pollIntervalMs,
  };
}
