/**
 * Every duration the simulator uses. Real time throughout; tests shrink these. Durations
 * that Twilio's API takes in seconds (task Timeout, workflow reservation timeout, target
 * timeouts, <Pause length>) are multiplied by `timeScale` (1 = real seconds).
 */
export interface Timing {
  /** Multiplier for every duration given to the API in seconds. 0.01 turns 15 s into 150 ms. */
  timeScale: number;
  /** How long an external number rings before it answers (participant create). */
  ringMs: number;
  /** How long the agent's browser leg rings before the Voice SDK answers it. */
  agentRingMs: number;
  /** How long a simulated agent takes to accept a reservation it means to accept. */
  agentAcceptDelayMs: number;
  /** Length of an announcement, a <Say> or a <Play>. */
  announcementMs: number;
  /** Read timeout for voice webhooks (Twilio's connection-override default: 15 s). */
  voiceWebhookTimeoutMs: number;
  /** Event Streams: the sink must answer within this (Twilio: 5 s). */
  eventStreamsTimeoutMs: number;
  /** Event Streams: events within this window travel in one batch. */
  eventStreamsBatchMs: number;
  /** Event Streams: first retry delay; doubled after each failure up to `eventStreamsMaxBackoffMs`. */
  eventStreamsInitialBackoffMs: number;
  eventStreamsMaxBackoffMs: number;
  /** Event Streams: give up on a batch after this long (Twilio: about 4 h). */
  eventStreamsGiveUpMs: number;
}

export const defaultTiming: Timing = {
  timeScale: 1,
  ringMs: 1000,
  agentRingMs: 200,
  agentAcceptDelayMs: 300,
  announcementMs: 2000,
  voiceWebhookTimeoutMs: 15_000,
  eventStreamsTimeoutMs: 5000,
  eventStreamsBatchMs: 50,
  eventStreamsInitialBackoffMs: 1000,
  eventStreamsMaxBackoffMs: 60_000,
  eventStreamsGiveUpMs: 4 * 60 * 60 * 1000,
};

/** Small durations for tests: everything in tens of milliseconds. */
export const fastTiming: Timing = {
  timeScale: 0.01,
  ringMs: 20,
  agentRingMs: 10,
  agentAcceptDelayMs: 10,
  announcementMs: 20,
  voiceWebhookTimeoutMs: 2000,
  eventStreamsTimeoutMs: 500,
  eventStreamsBatchMs: 5,
  eventStreamsInitialBackoffMs: 20,
  eventStreamsMaxBackoffMs: 200,
  eventStreamsGiveUpMs: 10_000,
};

export interface SimulatorOptions {
  accountSid: string;
  authToken: string;
  workspaceSid: string;
  workspaceName?: string;
  /** Event Streams webhook sink (batch_events on). */
  eventStreamsSinkUrl?: string;
  /**
   * The sink's batch_events: true (default) posts JSON arrays of CloudEvents; false posts each
   * CloudEvent on its own, as a JSON object.
   */
  eventStreamsBatchEvents?: boolean;
  /** Event Streams schema version written in `dataschema` and `data.schema_version`. */
  eventStreamsSchemaVersion?: number;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  timing?: Partial<Timing>;
  /**
   * How voice callbacks of one conference (or one call) travel: `in-order` (default) sends
   * each after the previous one was answered, like a stream; `concurrent` sends each at once,
   * so they may arrive out of order as Twilio's can. Faults reorder either way.
   */
  webhookOrdering?: 'in-order' | 'concurrent';
  /**
   * Reject REST requests that name a parameter the operation does not define (Twilio ignores
   * them; strict mode makes a typo in the server fail loudly). Unknown parameters are recorded
   * in `sim.requests` either way.
   */
  strictParams?: boolean;
}

export interface ResolvedOptions {
  accountSid: string;
  authToken: string;
  workspaceSid: string;
  workspaceName: string;
  eventStreamsSinkUrl: string | null;
  eventStreamsSchemaVersion: number;
  eventStreamsBatchEvents: boolean;
  port: number;
  host: string;
  timing: Timing;
  strictParams: boolean;
  webhookOrdering: 'in-order' | 'concurrent';
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return loopbackHosts.has(bare) || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  if (!/^AC[0-9a-fA-F]{32}$/.test(options.accountSid)) {
    throw new Error('accountSid must be AC + 32 hex digits (twilio-node insists on the AC prefix)');
  }
  if (!/^WS[0-9a-fA-F]{32}$/.test(options.workspaceSid)) {
    throw new Error('workspaceSid must be WS + 32 hex digits');
  }
  if (options.authToken === '') throw new Error('authToken must not be empty');
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`the simulator listens on loopback only, not ${host}`);
  return {
    accountSid: options.accountSid,
    authToken: options.authToken,
    workspaceSid: options.workspaceSid,
    workspaceName: options.workspaceName ?? 'Flex Task Assignment',
    eventStreamsSinkUrl: options.eventStreamsSinkUrl ?? null,
    eventStreamsSchemaVersion: options.eventStreamsSchemaVersion ?? 1,
    eventStreamsBatchEvents: options.eventStreamsBatchEvents ?? true,
    port: options.port ?? 0,
    host,
    timing: { ...defaultTiming, ...options.timing },
    strictParams: options.strictParams ?? false,
    webhookOrdering: options.webhookOrdering ?? 'in-order',
  };
}
