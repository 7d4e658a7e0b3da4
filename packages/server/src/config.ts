import { parseClusterNodes } from './store/connect.ts';

/**
 * Server configuration from environment variables, validated once at start. Every missing
 * or invalid variable is reported together, so one failed start tells the whole story.
 */
export interface ServerConfig {
  twilio: {
    accountSid: string;
    authToken: string;
    workspaceSid: string;
    recoveryPingWorkflowSid: string;
    /** Origin every Twilio REST request goes to instead of Twilio's hosts (a local simulator). */
    apiBaseUrl: string | null;
    maxConcurrency: number;
  };
  publicBaseUrl: string;
  port: number;
  host: string;
  /** Passed to the store's connectRedis(); both unset means the embedded in-memory store. */
  redis: { REDIS_URL?: string; REDIS_CLUSTER_NODES?: string };
  /** First segment of every Redis key: several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  recovery: {
    pingTtlS: number;
    reconnectTimeoutS: number;
    reconnectPriority: number;
  };
  announcementUrl: string;
  announcement: { say: string | null; playUrl: string | null };
  flexOrigin: string;
  /** Audio looped to a customer left alone during a recovery (served as /twiml/hold). */
  holdMusicUrl: string;
  /** Seconds a conference that never reaches a final state keeps its Redis keys after its last commit. */
  liveConferenceTtlS: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Variables and what they mean, for the README, .env.example and error messages. */
export const variables = {
  TWILIO_ACCOUNT_SID: 'Account SID (AC...)',
  TWILIO_AUTH_TOKEN: 'Auth token: signs webhooks and authenticates REST calls',
  TWILIO_WORKSPACE_SID: 'TaskRouter workspace SID (WS...)',
  RECOVERY_PING_WORKFLOW_SID: 'Workflow that routes Recovery Ping tasks (WW...)',
  PUBLIC_BASE_URL: 'Public address Twilio calls, e.g. https://lifeline.example.com',
  PORT: 'Listening port (3000)',
  HOST: 'Listening address (0.0.0.0)',
  REDIS_URL: 'redis:// URL; unset with no cluster nodes: embedded in-memory store (not durable)',
  REDIS_CLUSTER_NODES: 'host:port,host:port of a Redis Cluster',
  REDIS_KEY_PREFIX: 'First segment of every Redis key (ll)',
  TWILIO_API_BASE_URL: 'Send every Twilio REST request to this origin (local simulator)',
  PING_TIMEOUT_S: 'Recovery Ping TTL in seconds (15)',
  RECONNECT_TIMEOUT_S: 'Seconds the same agent has to take the reconnect task (60)',
  RECONNECT_PRIORITY: 'Priority of reconnect and escalation tasks (1000)',
  ANNOUNCEMENT_URL: "Hold announcement TwiML URL (default: this server's /twiml/announcement)",
  ANNOUNCEMENT_SAY: 'Text the hold announcement says',
  ANNOUNCEMENT_PLAY_URL: 'Audio the hold announcement plays after the text',
  FLEX_ORIGIN: 'Origin allowed by CORS for the plugin API (https://flex.twilio.com)',
  TWILIO_MAX_CONCURRENCY: 'Twilio REST calls in flight at most (50)',
  LIVE_CONFERENCE_TTL_S:
    'Seconds an unfinished conference keeps its Redis keys after its last event (21600)',
  HOLD_MUSIC_URL: "Audio looped to a customer left alone during a recovery (Twilio's hold music)",
} as const;

/** Twilio's own hold music, the audio plain Flex plays on hold. */
const DEFAULT_HOLD_MUSIC = 'http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3';

const DEFAULT_SAY =
  'Please hold. Your agent has been briefly disconnected and will be right back with you.';

export function loadConfig(env: Env): ServerConfig {
  const problems: string[] = [];

  const required = (name: keyof typeof variables, pattern?: RegExp, hint?: string): string => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') {
      problems.push(`${name} is required: ${variables[name]}`);
      return '';
    }
    if (pattern !== undefined && !pattern.test(value)) {
      problems.push(`${name} is invalid: ${hint ?? variables[name]}`);
    }
    return value;
  };
  const integer = (name: keyof typeof variables, fallback: number, min: number, max: number) => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const url = (name: keyof typeof variables, value: string | undefined): string | null => {
    if (value === undefined || value.trim() === '') return null;
    try {
      const parsed = new URL(value.trim());
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
      return parsed.toString().replace(/\/$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL, got "${value}"`);
      return null;
    }
  };

  const accountSid = required(
    'TWILIO_ACCOUNT_SID',
    /^AC[0-9a-fA-F]{32}$/,
    'must be AC + 32 hex digits',
  );
  const authToken = required('TWILIO_AUTH_TOKEN');
  const workspaceSid = required(
    'TWILIO_WORKSPACE_SID',
    /^WS[0-9a-fA-F]{32}$/,
    'must be WS + 32 hex digits',
  );
  const recoveryPingWorkflowSid = required(
    'RECOVERY_PING_WORKFLOW_SID',
    /^WW[0-9a-fA-F]{32}$/,
    'must be WW + 32 hex digits',
  );
  const publicBaseUrl = url('PUBLIC_BASE_URL', env['PUBLIC_BASE_URL']);
  if (env['PUBLIC_BASE_URL'] === undefined || env['PUBLIC_BASE_URL'].trim() === '') {
    problems.push(`PUBLIC_BASE_URL is required: ${variables.PUBLIC_BASE_URL}`);
  }
  const apiBaseUrl = url('TWILIO_API_BASE_URL', env['TWILIO_API_BASE_URL']);
  const flexOrigin = url('FLEX_ORIGIN', env['FLEX_ORIGIN'] ?? 'https://flex.twilio.com') ?? '';
  const announcementUrl = url('ANNOUNCEMENT_URL', env['ANNOUNCEMENT_URL']);
  const playUrl = url('ANNOUNCEMENT_PLAY_URL', env['ANNOUNCEMENT_PLAY_URL']);

  const redis: ServerConfig['redis'] = {};
  const clusterNodes = env['REDIS_CLUSTER_NODES']?.trim();
  const redisUrl = env['REDIS_URL']?.trim();
  if (clusterNodes && redisUrl) problems.push('set REDIS_URL or REDIS_CLUSTER_NODES, not both');
  if (clusterNodes) {
    try {
      parseClusterNodes(clusterNodes);
      redis.REDIS_CLUSTER_NODES = clusterNodes;
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  } else if (redisUrl) {
    if (!/^rediss?:\/\//.test(redisUrl))
      problems.push('REDIS_URL must start with redis:// or rediss://');
    redis.REDIS_URL = redisUrl;
  }

  const redisKeyPrefix = env['REDIS_KEY_PREFIX']?.trim() || 'll';
  // A brace would become the key's hash tag and put every key in one Cluster slot.
  if (!/^[\w.:-]{1,64}$/.test(redisKeyPrefix)) {
    problems.push('REDIS_KEY_PREFIX may hold only letters, digits and _ . : - (at most 64)');
  }

  const config: ServerConfig = {
    twilio: {
      accountSid,
      authToken,
      workspaceSid,
      recoveryPingWorkflowSid,
      apiBaseUrl,
      maxConcurrency: integer('TWILIO_MAX_CONCURRENCY', 50, 1, 1000),
    },
    publicBaseUrl: publicBaseUrl ?? '',
    port: integer('PORT', 3000, 0, 65535),
    host: env['HOST']?.trim() || '0.0.0.0',
    redis,
    redisKeyPrefix,
    recovery: {
      pingTtlS: integer('PING_TIMEOUT_S', 15, 1, 3600),
      reconnectTimeoutS: integer('RECONNECT_TIMEOUT_S', 60, 1, 3600),
      reconnectPriority: integer('RECONNECT_PRIORITY', 1000, 0, 2_147_483_647),
    },
    announcementUrl: announcementUrl ?? `${publicBaseUrl ?? ''}/twiml/announcement`,
    announcement: {
      say: env['ANNOUNCEMENT_SAY']?.trim() || (playUrl === null ? DEFAULT_SAY : null),
      playUrl,
    },
    flexOrigin,
    holdMusicUrl: url('HOLD_MUSIC_URL', env['HOLD_MUSIC_URL']) ?? DEFAULT_HOLD_MUSIC,
    liveConferenceTtlS: integer('LIVE_CONFERENCE_TTL_S', 21_600, 60, 604_800),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
