import type { RecoveryConfig } from '@lifeline/machine';

/**
 * Server configuration from environment variables, validated once at start. Every missing
 * or invalid variable is reported together, so one failed start tells the whole story.
 * Everything downstream (store, Twilio client, app) takes these typed values, never the
 * environment.
 */

export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials and transport shared by a single Redis and every node of a Cluster. */
export interface RedisAuth {
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * Where recoveries are kept. `memory` is an embedded store in this process: nothing survives
 * a restart and instances share nothing, so the server says so loudly at start.
 * A single Redis's `url` never carries credentials: they are moved to `username`/`password`,
 * so the URL is safe to log.
 */
export type RedisConfig =
  | { kind: 'memory' }
  | ({ kind: 'single'; url: string } & RedisAuth)
  | ({ kind: 'cluster'; nodes: RedisNode[] } & RedisAuth);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  twilio: {
    accountSid: string;
    authToken: string;
    workspaceSid: string;
    recoveryPingWorkflowSid: string;
    /** Origin every Twilio REST request goes to instead of Twilio's hosts (a local simulator). */
    apiBaseUrl: string | null;
    /** REST calls in flight at most, all of them: Twilio limits concurrency per account. */
    maxConcurrency: number;
    /**
     * Of maxConcurrency, the slots kept for token validations and registration checks; the
     * effects have the rest (twilio/client.ts effectSlots).
     */
    authConcurrency: number;
  };
  /** As configured, host case included: Twilio signs the URL exactly as it was given. */
  publicBaseUrl: string;
  /** Bearer token that /metrics and /docs require; null: they are open. */
  opsToken: string | null;
  port: number;
  host: string;
  logLevel: LogLevel;
  /** SIGTERM/SIGINT: how long in-flight work may take before connections are cut. */
  shutdownGraceS: number;
  redis: RedisConfig;
  /** First segment of every Redis key: several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  /** The statechart's tunables, fixed for each conference when it is first tracked. */
  recovery: RecoveryConfig;
  announcementUrl: string;
  announcement: { say: string | null; playUrl: string | null };
  flexOrigin: string;
  inspect: InspectConfig;
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

/** Variables and what they mean, for error messages; a test keeps README and .env.example in step. */
export const variables = {
  TWILIO_ACCOUNT_SID: 'Account SID (AC...)',
  TWILIO_AUTH_TOKEN: 'Auth token: signs webhooks and authenticates REST calls',
  TWILIO_WORKSPACE_SID: 'TaskRouter workspace SID (WS...)',
  RECOVERY_PING_WORKFLOW_SID: 'Workflow that routes Recovery Ping tasks (WW...)',
  PUBLIC_BASE_URL: 'Public address Twilio calls, e.g. https://lifeline.example.com',
  PORT: 'Listening port (3000)',
  HOST: 'Listening address (0.0.0.0)',
  LOG_LEVEL: `Log level: ${LOG_LEVELS.join(', ')} (info)`,
  SHUTDOWN_GRACE_S: 'Seconds in-flight work may take after SIGTERM (10)',
  REDIS_URL: 'redis:// or rediss:// URL; unset with no cluster nodes: embedded in-memory store',
  REDIS_CLUSTER_NODES: 'host:port,host:port of a Redis Cluster',
  REDIS_USERNAME: 'Redis ACL user, for REDIS_URL and every cluster node',
  REDIS_PASSWORD: 'Redis password, for REDIS_URL and every cluster node',
  REDIS_TLS: 'true: TLS to Redis (implied by rediss://)',
  REDIS_KEY_PREFIX: 'First segment of every Redis key (ll)',
  TWILIO_API_BASE_URL: 'Send every Twilio REST request to this origin (local simulator)',
  PING_TIMEOUT_S: 'Recovery Ping TTL in seconds (15)',
  PING_CREATE_TIMEOUT_S:
    'Seconds creating the Recovery Ping task may take (timeouts, retries) before escalating (30)',
  PING_PRIORITY: 'Priority of the Recovery Ping task (1000)',
  RECONNECT_TIMEOUT_S: 'Seconds the same agent has to take the reconnect task (60)',
  RECONNECT_PRIORITY: 'Priority of reconnect and escalation tasks (1000)',
  REDIAL_TIMEOUT_S:
    'Seconds a re-dial waits for the customer and each party in the new conference (30)',
  ANNOUNCEMENT_URL: "Hold announcement TwiML URL (default: this server's /twiml/announcement)",
  ANNOUNCEMENT_SAY: 'Text the hold announcement says',
  ANNOUNCEMENT_PLAY_URL: 'Audio the hold announcement plays after the text',
  FLEX_ORIGIN: 'Origin allowed by CORS for the plugin API (https://flex.twilio.com)',
  TWILIO_MAX_CONCURRENCY:
    "Twilio REST calls in flight at most, token validations included: the account's limit or less (50)",
  INSPECT_BASIC_AUTH:
    'user:password accepted by /inspect as HTTP basic auth (unset: Flex tokens only)',
  AUTH_MAX_CONCURRENCY:
    'Of TWILIO_MAX_CONCURRENCY, the slots kept for Flex token validations and registration checks (8)',
  OPS_TOKEN: 'Bearer token /metrics and /docs require (unset: open)',
  LIVE_CONFERENCE_TTL_S:
    'Seconds an unfinished conference keeps its Redis keys after its last event (21600)',
  HOLD_MUSIC_URL: "Audio looped to a customer left alone during a recovery (Twilio's hold music)",
} as const;
type Variable = keyof typeof variables;

/** Twilio's own hold music, the audio plain Flex plays on hold. */
const DEFAULT_HOLD_MUSIC = 'http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3';

const DEFAULT_SAY =
  'Please hold. Your agent has been briefly disconnected and will be right back with you.';
const MAX_PRIORITY = 2_147_483_647;

export function parseClusterNodes(spec: string): RedisNode[] {
  const nodes = spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.lastIndexOf(':');
      const host = part.slice(0, at);
      const port = Number(part.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) {
        throw new Error(`REDIS_CLUSTER_NODES: expected host:port, got ${JSON.stringify(part)}.`);
      }
      return { host, port };
    });
  if (nodes.length === 0) throw new Error('REDIS_CLUSTER_NODES is set but lists no node.');
  return nodes;
}

/**
 * Ping bound: the TTL plus a grace of a third of it, at most 5 s (15 s TTL: 20 s), so a lost
 * TaskRouter cancel still ends the ping.
 */
export function pingTimeoutMs(pingTtlS: number): number {
  return pingTtlS * 1000 + Math.min(5000, Math.round((pingTtlS * 1000) / 3));
}

export function loadConfig(env: Env): ServerConfig {
  const problems: string[] = [];
  const value = (name: Variable): string | undefined => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  const required = (name: Variable, pattern?: RegExp, hint?: string): string => {
    const raw = value(name);
    if (raw === undefined) {
      problems.push(`${name} is required: ${variables[name]}`);
      return '';
    }
    if (pattern !== undefined && !pattern.test(raw)) {
      problems.push(`${name} is invalid: ${hint ?? variables[name]}`);
    }
    return raw;
  };
  const integer = (name: Variable, fallback: number, min: number, max: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return parsed;
  };
  const boolean = (name: Variable): boolean => {
    const raw = value(name)?.toLowerCase();
    if (raw === undefined || raw === 'false' || raw === '0') return false;
    if (raw === 'true' || raw === '1') return true;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return false;
  };
  // `verbatim`: keep the text as given (host case included) once it parses as a URL.
  const url = (name: Variable, raw: string | undefined, verbatim = false): string | null => {
    if (raw === undefined || raw.trim() === '') return null;
    try {
      const parsed = new URL(raw.trim());
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
      return (verbatim ? raw.trim() : parsed.toString()).replace(/\/$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL, got "${raw}"`);
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
  // Twilio signs the URL as configured; new URL() would lower-case the host and break that.
  const publicBaseUrl = url('PUBLIC_BASE_URL', value('PUBLIC_BASE_URL'), true);
  if (value('PUBLIC_BASE_URL') === undefined) {
    problems.push(`PUBLIC_BASE_URL is required: ${variables.PUBLIC_BASE_URL}`);
  }
  const apiBaseUrl = url('TWILIO_API_BASE_URL', value('TWILIO_API_BASE_URL'));
  const flexOrigin = url('FLEX_ORIGIN', value('FLEX_ORIGIN') ?? 'https://flex.twilio.com') ?? '';
  const announcementUrl = url('ANNOUNCEMENT_URL', value('ANNOUNCEMENT_URL'));
  const playUrl = url('ANNOUNCEMENT_PLAY_URL', value('ANNOUNCEMENT_PLAY_URL'));

  const logLevel = value('LOG_LEVEL')?.toLowerCase() ?? 'info';
  if (!isLogLevel(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const redisKeyPrefix = value('REDIS_KEY_PREFIX') ?? 'll';
  // A brace would become the key's hash tag and put every key in one Cluster slot.
  if (!/^[\w.:-]{1,64}$/.test(redisKeyPrefix)) {
    problems.push('REDIS_KEY_PREFIX may hold only letters, digits and _ . : - (at most 64)');
  }

  const maxConcurrency = integer('TWILIO_MAX_CONCURRENCY', 50, 2, 1000);
  const authConcurrency = integer('AUTH_MAX_CONCURRENCY', 8, 1, 100);
  // Twilio counts every REST call of the account: token checks take their slots out of the
  // total (two budgets side by side once sent 108 at a cap of 100, and got 429s).
  if (authConcurrency >= maxConcurrency) {
    problems.push(
      `AUTH_MAX_CONCURRENCY (${authConcurrency}) must be below TWILIO_MAX_CONCURRENCY ` +
        `(${maxConcurrency}): its slots are a share of the account's`,
    );
  }

  const pingTtlS = integer('PING_TIMEOUT_S', 15, 1, 3600);
  const config: ServerConfig = {
    twilio: {
      accountSid,
      authToken,
      workspaceSid,
      recoveryPingWorkflowSid,
      apiBaseUrl,
      maxConcurrency,
      authConcurrency,
    },
    publicBaseUrl: publicBaseUrl ?? '',
    opsToken: value('OPS_TOKEN') ?? null,
    port: integer('PORT', 3000, 0, 65535),
    host: value('HOST') ?? '0.0.0.0',
    logLevel: isLogLevel(logLevel) ? logLevel : 'info',
    shutdownGraceS: integer('SHUTDOWN_GRACE_S', 10, 0, 600),
    redis: redisConfig(value, boolean, problems),
    redisKeyPrefix,
    recovery: {
      pingTtlS,
      pingTimeoutMs: pingTimeoutMs(pingTtlS),
      pingCreateTimeoutMs: integer('PING_CREATE_TIMEOUT_S', 30, 1, 600) * 1000,
      pingPriority: integer('PING_PRIORITY', 1000, 0, MAX_PRIORITY),
      reconnectTimeoutMs: integer('RECONNECT_TIMEOUT_S', 60, 1, 3600) * 1000,
      reconnectPriority: integer('RECONNECT_PRIORITY', 1000, 0, MAX_PRIORITY),
      redialTimeoutMs: integer('REDIAL_TIMEOUT_S', 30, 1, 600) * 1000,
    },
    announcementUrl: announcementUrl ?? `${publicBaseUrl ?? ''}/twiml/announcement`,
    announcement: {
      say: value('ANNOUNCEMENT_SAY') ?? (playUrl === null ? DEFAULT_SAY : null),
      playUrl,
    },
    flexOrigin,
    inspect: inspectConfig(env, problems),
    holdMusicUrl: url('HOLD_MUSIC_URL', env['HOLD_MUSIC_URL']) ?? DEFAULT_HOLD_MUSIC,
    liveConferenceTtlS: integer('LIVE_CONFERENCE_TTL_S', 21_600, 60, 604_800),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function isLogLevel(level: string): level is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(level);
}

/** REDIS_URL or REDIS_CLUSTER_NODES (not both), with credentials and TLS for either. */
function redisConfig(
  value: (name: Variable) => string | undefined,
  boolean: (name: Variable) => boolean,
  problems: string[],
): RedisConfig {
  const clusterNodes = value('REDIS_CLUSTER_NODES');
  const redisUrl = value('REDIS_URL');
  const auth = (fromUrl: { username?: string; password?: string } = {}): RedisAuth => {
    const username = fromUrl.username ?? value('REDIS_USERNAME');
    const password = fromUrl.password ?? value('REDIS_PASSWORD');
    return {
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      tls: boolean('REDIS_TLS'),
    };
  };
  if (clusterNodes !== undefined && redisUrl !== undefined) {
    problems.push('set REDIS_URL or REDIS_CLUSTER_NODES, not both');
    return { kind: 'memory' };
  }
  if (clusterNodes !== undefined) {
    try {
      return { kind: 'cluster', nodes: parseClusterNodes(clusterNodes), ...auth() };
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return { kind: 'memory' };
    }
  }
  if (redisUrl === undefined) return { kind: 'memory' };
  let parsed: URL;
  try {
    parsed = new URL(redisUrl);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error('scheme');
  } catch {
    // Never echo the value: it may hold a password.
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
    return { kind: 'memory' };
  }
  // Credentials in the URL win over REDIS_USERNAME / REDIS_PASSWORD; either way they leave
  // the URL, which is then safe to log.
  const fromUrl = {
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
  };
  parsed.username = '';
  parsed.password = '';
  const credentials = auth(fromUrl);
  return {
    kind: 'single',
    url: parsed.toString(),
    ...credentials,
    tls: credentials.tls || parsed.protocol === 'rediss:',
  };
}

// --- The inspector (/inspect) ---

export interface InspectConfig {
  /** HTTP basic credentials for engineers without a Flex token; null: tokens only. */
  basicAuth: { user: string; password: string } | null;
}

function inspectConfig(env: Env, problems: string[]): InspectConfig {
  const raw = env['INSPECT_BASIC_AUTH'];
  if (raw === undefined || raw.trim() === '') return { basicAuth: null };
  const at = raw.indexOf(':');
  // The value itself is a secret: the message never repeats it.
  if (at <= 0 || at === raw.length - 1) {
    problems.push('INSPECT_BASIC_AUTH must be user:password, both non-empty');
    return { basicAuth: null };
  }
  return { basicAuth: { user: raw.slice(0, at), password: raw.slice(at + 1) } };
}
