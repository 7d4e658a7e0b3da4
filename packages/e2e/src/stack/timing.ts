import type { Timing } from '@lifeline/simulator';
import { fastTiming, realisticTiming, scaleTiming } from '@lifeline/simulator';

/**
 * How much faster than the real world the e2e tests run. The shape stays realistic (REST
 * latency with its tail, webhook lag, Event Streams batches that overtake one another and
 * arrive twice, ring and join times) at a tenth of the real durations, so the whole e2e
 * project still runs in a couple of minutes. `pnpm e2e:random` runs at 1 (real time).
 */
export const e2eTimeScale = 0.1;

/** Retries a restarted server catches quickly (Twilio's own start at 1 s, doubling). */
const quickRetries = {
  eventStreamsInitialBackoffMs: fastTiming.eventStreamsInitialBackoffMs,
  eventStreamsMaxBackoffMs: fastTiming.eventStreamsMaxBackoffMs,
  // Event Streams keep retrying for a minute so a restarted server still gets what it missed.
  eventStreamsGiveUpMs: 60_000,
} as const;

/**
 * The realistic profile at `scale` of real time. Durations Twilio takes in seconds (task
 * Timeout, reservation timeouts) are NOT scaled (timeScale 1): the server sets the ping
 * task's TTL to PING_TIMEOUT_S seconds and bounds pinging by the same seconds on its own
 * clock, so both must mean the same real time.
 */
export function realisticAt(scale: number): Timing {
  return { ...scaleTiming(realisticTiming, scale), timeScale: 1, ...quickRetries };
}

/** End-to-end tests: the realistic profile at e2eTimeScale. */
export const e2eTiming: Timing = realisticAt(e2eTimeScale);

/**
 * The demo keeps the fast profile (fixed, no jitter), slowed where a reader should see it:
 * rings, accepts and the announcement take human time.
 */
export const demoTiming: Timing = {
  ...fastTiming,
  timeScale: 1,
  ...quickRetries,
  ringMs: 600,
  agentRingMs: 400,
  agentAcceptDelayMs: 500,
  announcementMs: 2500,
};
