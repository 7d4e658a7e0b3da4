/**
 * Twilio's CallStatus values of a call still on the line (the others: completed, busy, failed,
 * no-answer, canceled). One list for the statechart's adapters and the statechart alike.
 */
const LIVE_CALL_STATUSES: ReadonlySet<string> = new Set(['queued', 'ringing', 'in-progress']);

export function isLiveCallStatus(status: string): boolean {
  return LIVE_CALL_STATUSES.has(status);
}
