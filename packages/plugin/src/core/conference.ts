import type { ConferenceView, TaskView } from './tasks.ts';

/**
 * Conference status events Lifeline subscribes to. The TaskRouter SDK's
 * `reservation.conference(options)` validates conferenceStatusCallbackEvent as a string
 * (comma-separated), so an array would make Flex's accept throw.
 */
export const CONFERENCE_STATUS_EVENTS = 'start,end,join,leave,modify';

export interface ConferenceCallbackOptions {
  conferenceStatusCallback: string;
  conferenceStatusCallbackEvent: string;
  conferenceStatusCallbackMethod: 'POST';
}

export function conferenceCallbackOptions(serverUrl: string): ConferenceCallbackOptions {
  return {
    conferenceStatusCallback: `${serverUrl}/webhooks/conference-status`,
    conferenceStatusCallbackEvent: CONFERENCE_STATUS_EVENTS,
    conferenceStatusCallbackMethod: 'POST',
  };
}

/**
 * Lifeline's AcceptTask conference options, merged over Flex's (any other option is kept):
 * the callbacks, and the agent's leg joining with `endConferenceOnExit: false`.
 *
 * Flex's AcceptTask payload updater pre-fills `endConferenceOnExit: true` for a new call
 * (before any before-listener runs), so the agent's leg would join able to end the call on
 * a reload until Lifeline's first undo lands. Joining with false removes that window at
 * accept. Flex still sets the flag true on its first conference update (it keeps the last
 * value it set per task, not the participant's), which the server undoes on the
 * participant-modify callback: that second, shorter window is Flex's own and remains.
 */
export function withConferenceOptions(payload: Record<string, unknown>, serverUrl: string): void {
  const current = payload['conferenceOptions'];
  const options = typeof current === 'object' && current !== null ? current : {};
  payload['conferenceOptions'] = {
    ...options,
    ...conferenceCallbackOptions(serverUrl),
    endConferenceOnExit: false,
  };
}

export interface CallLegs {
  conferenceSid: string;
  customerCallSid: string;
  workerCallSid: string;
}

/** Both legs registration needs, once Flex shows them joined in the task's conference. */
export function findCallLegs(
  conference: ConferenceView | null,
  workerSid: string,
): CallLegs | null {
  if (conference === null || conference.conferenceSid === '') return null;
  const joined = conference.participants.filter((p) => p.status === 'joined' && p.callSid);
  const customer = joined.find((p) => p.type === 'customer');
  const worker = joined.find((p) => p.type === 'worker' && p.workerSid === workerSid);
  if (!customer?.callSid || !worker?.callSid) return null;
  return {
    conferenceSid: conference.conferenceSid,
    customerCallSid: customer.callSid,
    workerCallSid: worker.callSid,
  };
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Flex fills in the task's conference some time after accept (the participants arrive with
 * conference updates), so poll the task until both legs are there, or give up at the bound.
 */
export async function waitForCallLegs(
  readTask: () => TaskView | null,
  workerSid: string,
  { timeoutMs, intervalMs = 250, sleep = realSleep, now = Date.now }: WaitOptions,
): Promise<CallLegs | null> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const legs = findCallLegs(readTask()?.conference ?? null, workerSid);
    if (legs !== null) return legs;
    if (now() >= deadline) return null;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - now())));
  }
}
