import { apiErrors } from '../../errors.ts';
import type { ConferenceRecord, ParticipantRecord } from '../../world/records.ts';
import type { World } from '../../world/world.ts';

export function conferenceOr404(
  world: World,
  sid: string | undefined,
  urlPath: string,
): ConferenceRecord {
  const conference = sid === undefined ? undefined : world.conferences.get(sid);
  if (conference === undefined) throw apiErrors.notFound(urlPath);
  return conference;
}

/** Participants are addressed by call SID or by label, as Twilio allows. */
export function participantOr404(
  conference: ConferenceRecord,
  callSidOrLabel: string | undefined,
  urlPath: string,
): ParticipantRecord {
  if (callSidOrLabel !== undefined) {
    const bySid = conference.participants.get(callSidOrLabel);
    if (bySid !== undefined) return bySid;
    const byLabel = [...conference.participants.values()].find((p) => p.label === callSidOrLabel);
    if (byLabel !== undefined) return byLabel;
  }
  throw apiErrors.notFound(urlPath);
}
