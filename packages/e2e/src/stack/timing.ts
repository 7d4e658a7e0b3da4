import type { Timing } from '@lifeline/simulator';
import { fastTiming } from '@lifeline/simulator';

/**
 * End-to-end tests: the simulator's own delays in tens of milliseconds, but durations Twilio
 * takes in seconds (task Timeout, reservation timeouts) NOT scaled: the server sets the ping
 * task's TTL to PING_TIMEOUT_S seconds and bounds pinging by the same seconds on its own
 * clock, so both must mean the same real time. Event Streams keep retrying for a minute so a
 * restarted server still gets what it missed.
 */
export const e2eTiming: Timing = {
  ...fastTiming,
  timeScale: 1,
  eventStreamsGiveUpMs: 60_000,
};

/** The demo: slow enough to read (rings, accepts and the announcement take human time). */
export const demoTiming: Timing = {
  ...e2eTiming,
  ringMs: 600,
  agentRingMs: 400,
  agentAcceptDelayMs: 500,
  announcementMs: 2500,
};
