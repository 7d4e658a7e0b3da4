import type { Duration, Spread } from './random.ts';

/**
 * Every duration the simulator uses. Real time throughout. A `Duration` is a fixed number of
 * milliseconds or a `Spread` drawn (log-normal, clamped) from the simulator's seeded
 * randomness. Durations that Twilio's API takes in seconds (task Timeout, workflow reservation
 * timeout, target timeouts, <Pause length>) are multiplied by `timeScale` (1 = real seconds).
 * The README's "Timing" section gives the source or reasoning for each realistic figure.
 */
export interface Timing {
  /** Multiplier for every duration given to the API in seconds. 0.01 turns 15 s into 150 ms. */
  timeScale: number;
  /** Every REST answer is this late (before any `faults.restLatency`). */
  restLatencyMs: Duration;
  /** Conference and call-status callbacks leave this long after what they report. */
  webhookDelayMs: Duration;
  /** How long an external number rings before it answers (participant create, calls create). */
  ringMs: Duration;
  /** After an accept with the conference instruction: the agent's browser leg rings and the Voice SDK answers it. */
  agentRingMs: Duration;
  /** After the agent's leg is in: Flex's orchestration brings the customer into the conference. */
  conferenceJoinMs: Duration;
  /** How long a simulated agent takes to accept a reservation it means to accept. */
  agentAcceptDelayMs: Duration;
  /** Length of an announcement, a <Say> or a <Play>. */
  announcementMs: number;
  /** Read timeout for voice webhooks (Twilio's connection-override default: 15 s). */
  voiceWebhookTimeoutMs: number;
  /** Event Streams: the sink must answer within this (Twilio: 5 s). */
  eventStreamsTimeoutMs: number;
  /** Event Streams: events within this window travel in one batch. */
  eventStreamsBatchMs: number;
  /** Event Streams: each batch leaves this long after it closes, independently (so batches overtake one another). */
  eventStreamsDelayMs: Duration;
  /** Event Streams: the share of batches delivered twice (at-least-once). */
  eventStreamsDuplicateRate: number;
  /** Event Streams: first retry delay; doubled after each failure up to `eventStreamsMaxBackoffMs`. */
  eventStreamsInitialBackoffMs: number;
  eventStreamsMaxBackoffMs: number;
  /** Event Streams: give up on a batch after this long (Twilio: about 4 h). */
  eventStreamsGiveUpMs: number;
}

const spread = (minMs: number, medianMs: number, maxMs: number): Spread => ({
  minMs,
  medianMs,
  maxMs,
});

/**
 * Twilio as a caller in the US meets it (the default). Sources and reasoning per figure:
 * packages/simulator/README.md, "Timing".
 */
export const realisticTiming: Timing = {
  timeScale: 1,
  restLatencyMs: spread(40, 100, 1000),
  webhookDelayMs: spread(20, 150, 1500),
  ringMs: spread(1500, 3000, 8000),
  agentRingMs: spread(500, 800, 1500),
  conferenceJoinMs: spread(100, 300, 1500),
  agentAcceptDelayMs: spread(200, 600, 2500),
  announcementMs: 3000,
  voiceWebhookTimeoutMs: 15_000,
  eventStreamsTimeoutMs: 5000,
  eventStreamsBatchMs: 100,
  eventStreamsDelayMs: spread(100, 400, 3000),
  eventStreamsDuplicateRate: 0.02,
  eventStreamsInitialBackoffMs: 1000,
  eventStreamsMaxBackoffMs: 60_000,
  eventStreamsGiveUpMs: 4 * 60 * 60 * 1000,
};

/** The simulator's defaults are the realistic ones. */
export const defaultTiming: Timing = realisticTiming;

/**
 * The fast profile, a named special case: fixed durations in tens of milliseconds, no
 * latency, no jitter, no spontaneous duplicates; Twilio's seconds scaled by 0.01.
 */
export const fastTiming: Timing = {
  timeScale: 0.01,
  restLatencyMs: 0,
  webhookDelayMs: 0,
  ringMs: 20,
  agentRingMs: 10,
  conferenceJoinMs: 0,
  agentAcceptDelayMs: 10,
  announcementMs: 20,
  voiceWebhookTimeoutMs: 2000,
  eventStreamsTimeoutMs: 500,
  eventStreamsBatchMs: 5,
  eventStreamsDelayMs: 0,
  eventStreamsDuplicateRate: 0,
  eventStreamsInitialBackoffMs: 20,
  eventStreamsMaxBackoffMs: 200,
  eventStreamsGiveUpMs: 10_000,
};

function scaleDuration(d: Duration, factor: number): Duration {
  if (typeof d === 'number') return Math.round(d * factor);
  return spread(
    Math.round(d.minMs * factor),
    Math.round(d.medianMs * factor),
    Math.round(d.maxMs * factor),
  );
}

/**
 * A profile with every delay and length multiplied by `factor` (a faster or slower world with
 * the same shape). Timeouts, retry backoffs, `timeScale` and rates stay as they are: they are
 * the contract with the receiver, not the world's pace.
 */
export function scaleTiming(timing: Timing, factor: number): Timing {
  return {
    ...timing,
    restLatencyMs: scaleDuration(timing.restLatencyMs, factor),
    webhookDelayMs: scaleDuration(timing.webhookDelayMs, factor),
    ringMs: scaleDuration(timing.ringMs, factor),
    agentRingMs: scaleDuration(timing.agentRingMs, factor),
    conferenceJoinMs: scaleDuration(timing.conferenceJoinMs, factor),
    agentAcceptDelayMs: scaleDuration(timing.agentAcceptDelayMs, factor),
    announcementMs: Math.round(timing.announcementMs * factor),
    eventStreamsBatchMs: Math.round(timing.eventStreamsBatchMs * factor),
    eventStreamsDelayMs: scaleDuration(timing.eventStreamsDelayMs, factor),
  };
}

/** A duration's typical value (a spread's median). */
export function typicalMs(d: Duration): number {
  return typeof d === 'number' ? d : d.medianMs;
}

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
  /** Seeds every random draw (latencies, delays, duplicates): the same seed, the same draws. */
  seed?: number;
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
  seed: number;
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
    seed: options.seed ?? 1,
  };
}
