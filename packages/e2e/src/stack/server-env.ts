import type { StackRedis } from './redis-target.ts';
import { redisEnv } from './redis-target.ts';

/** What a Lifeline server of the stack is configured with (its environment variables). */
export interface ServerEnvInput {
  accountSid: string;
  authToken: string;
  workspaceSid: string;
  pingWorkflowSid: string;
  /** The simulator's origin: every Twilio REST request goes there. */
  twilioUrl: string;
  /** The address the simulator calls (signatures are checked against it). */
  publicBaseUrl: string;
  port: number;
  /** A Redis or a Redis Cluster; null: the embedded in-memory store (not durable). */
  redis: StackRedis | null;
  /** Every Redis key starts with it: each test run gets its own key space. */
  redisKeyPrefix: string;
  pingTimeoutS: number;
  reconnectTimeoutS: number;
  redialTimeoutS: number;
  /** The only origin the server's CORS lets in (its default: https://flex.twilio.com). */
  flexOrigin?: string;
}

/** The environment main.ts reads; the in-process server goes through the same loadConfig. */
export function serverEnv(input: ServerEnvInput): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: input.accountSid,
    TWILIO_AUTH_TOKEN: input.authToken,
    TWILIO_WORKSPACE_SID: input.workspaceSid,
    RECOVERY_PING_WORKFLOW_SID: input.pingWorkflowSid,
    PUBLIC_BASE_URL: input.publicBaseUrl,
    TWILIO_API_BASE_URL: input.twilioUrl,
    PORT: String(input.port),
    HOST: '127.0.0.1',
    PING_TIMEOUT_S: String(input.pingTimeoutS),
    RECONNECT_TIMEOUT_S: String(input.reconnectTimeoutS),
    REDIAL_TIMEOUT_S: String(input.redialTimeoutS),
    REDIS_KEY_PREFIX: input.redisKeyPrefix,
    ...(input.redis === null ? {} : redisEnv(input.redis)),
    ...(input.flexOrigin === undefined ? {} : { FLEX_ORIGIN: input.flexOrigin }),
  };
}
