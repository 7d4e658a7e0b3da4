import type { World } from '@lifeline/simulator/model';

/**
 * Flex sets endConferenceOnExit=true on the current worker's participant whenever two or
 * fewer participants are live (at accept, and as participants join and leave), through the
 * REST API, so a participant-modify callback follows. It is not re-applied on modify events:
 * a server that undoes it on participant-modify would otherwise fight Flex forever.
 */
export function flexSetsEndConferenceOnExit(
  world: World,
  conferenceSid: string,
  workerCallSid: string,
): void {
  const conference = world.conferences.get(conferenceSid);
  if (conference === undefined || conference.status === 'completed') return;
  const participant = conference.participants.get(workerCallSid);
  if (
    participant === undefined ||
    participant.status !== 'connected' ||
    participant.endConferenceOnExit
  )
    return;
  if (world.conferences.connected(conference).length > 2) return;
  world.conferences.updateParticipant(conference, workerCallSid, { endConferenceOnExit: true });
}
