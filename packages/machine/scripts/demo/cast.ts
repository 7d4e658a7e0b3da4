/**
 * The people and Twilio resources of the walkthrough. SIDs are obviously fake: a Twilio
 * prefix and 32 hex digits, so nobody mistakes them for a real account's.
 */
export const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;

export const cast = {
  conference: sid('CF', 1),
  newConference: sid('CF', 2),
  workflow: sid('WW', 1),
  customer: sid('CA', 1),
  aliceCall: sid('CA', 2),
  external: sid('CA', 4),
  alice: { workerSid: sid('WK', 1), name: 'Alice' },
  bob: { workerSid: sid('WK', 2), name: 'Bob' },
  originalTask: sid('WT', 1),
  originalReservation: sid('WR', 1),
  pingTask: sid('WT', 2),
  reconnectTask: sid('WT', 3),
  escalationTask: sid('WT', 4),
  pingReservation: sid('WR', 2),
  customerReservation: sid('WR', 3),
} as const;

/** The first recovery of the conference: ids are `<conferenceSid>:<n>`. */
export const RECOVERY_ID = `${cast.conference}:1`;

/** What each SID is, for the timeline. */
export const roles: ReadonlyMap<string, string> = new Map([
  [cast.conference, 'conference'],
  [cast.workflow, 'workflow'],
  [cast.customer, 'customer'],
  [cast.aliceCall, "Alice's leg"],
  [cast.external, 'external party'],
  [cast.alice.workerSid, 'Alice'],
  [cast.bob.workerSid, 'Bob'],
  [cast.originalTask, 'original task'],
  [cast.originalReservation, "Alice's reservation"],
  [cast.pingTask, 'ping task'],
  [cast.reconnectTask, 'reconnect task'],
  [cast.escalationTask, 'escalation task'],
  [cast.pingReservation, 'ping reservation'],
  [cast.customerReservation, 'customer reservation'],
]);

/** 2026-01-15 14:30:00 UTC: the moment the walkthrough's call is accepted. */
export const T0 = Date.UTC(2026, 0, 15, 14, 30, 0);
