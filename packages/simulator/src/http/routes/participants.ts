import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.ts';
import { isSid } from '../../sids.ts';
import type { ParticipantChanges } from '../../world/conferences.ts';
import { dialParticipant } from '../../world/dial-out.ts';
import { page2010 } from '../page.ts';
import { bool, callback, int, str } from '../params.ts';
import { participantJson } from '../representations/voice.ts';
import type { Deps } from '../serve.ts';
import { serve } from '../serve.ts';
import { conferenceOr404, participantOr404 } from './lookups.ts';

export function participantRoutes(app: FastifyInstance, deps: Deps): void {
  const { world, options } = deps;

  serve(app, deps, 'ListParticipant', ({ path, query, urlPath }) => {
    const conference = conferenceOr404(world, path['ConferenceSid'], urlPath);
    const muted = bool(query, 'Muted');
    const hold = bool(query, 'Hold');
    const coaching = bool(query, 'Coaching');
    const participants = [...conference.participants.values()]
      .filter((p) => muted === undefined || p.muted === muted)
      .filter((p) => hold === undefined || p.hold === hold)
      .filter((p) => coaching === undefined || p.coaching === coaching)
      .map((p) => participantJson(options.accountSid, p));
    return { body: page2010('participants', participants, urlPath, query) };
  });

  serve(app, deps, 'FetchParticipant', ({ path, urlPath }) => {
    const conference = conferenceOr404(world, path['ConferenceSid'], urlPath);
    return {
      body: participantJson(
        options.accountSid,
        participantOr404(conference, path['CallSid'], urlPath),
      ),
    };
  });

  serve(app, deps, 'UpdateParticipant', ({ path, fields, urlPath }) => {
    const conference = conferenceOr404(world, path['ConferenceSid'], urlPath);
    const participant = participantOr404(conference, path['CallSid'], urlPath);
    const changes: ParticipantChanges = {};
    const hold = bool(fields, 'Hold');
    const muted = bool(fields, 'Muted');
    const endConferenceOnExit = bool(fields, 'EndConferenceOnExit');
    const coaching = bool(fields, 'Coaching');
    const beepOnExit = bool(fields, 'BeepOnExit');
    const holdUrl = str(fields, 'HoldUrl');
    const announceUrl = str(fields, 'AnnounceUrl');
    const callSidToCoach = str(fields, 'CallSidToCoach');
    if (hold !== undefined) changes.hold = hold;
    if (muted !== undefined) changes.muted = muted;
    if (endConferenceOnExit !== undefined) changes.endConferenceOnExit = endConferenceOnExit;
    if (coaching !== undefined) changes.coaching = coaching;
    if (beepOnExit !== undefined) changes.beepOnExit = beepOnExit;
    if (holdUrl !== undefined) changes.holdUrl = holdUrl;
    if (announceUrl !== undefined) changes.announceUrl = announceUrl;
    if (callSidToCoach !== undefined) changes.callSidToCoach = callSidToCoach;
    const updated = world.conferences.updateParticipant(conference, participant.callSid, changes);
    if (updated === null) throw apiErrors.notFound(urlPath);
    return { body: participantJson(options.accountSid, updated) };
  });

  serve(app, deps, 'DeleteParticipant', ({ path, urlPath }) => {
    const conference = conferenceOr404(world, path['ConferenceSid'], urlPath);
    const participant = participantOr404(conference, path['CallSid'], urlPath);
    world.conferences.kick(conference, participant.callSid);
    return { body: null };
  });

  serve(app, deps, 'CreateParticipant', ({ path, fields, urlPath }) => {
    const ref = path['ConferenceSid'] ?? '';
    // The path takes a conference SID or, as on Twilio, a friendly name (created on first use).
    const conference = isSid(ref, 'CF')
      ? conferenceOr404(world, ref, urlPath)
      : world.conferences.ensure(ref);
    if (conference.status === 'completed') throw apiErrors.notFound(urlPath);
    const participant = dialParticipant(world, conference, {
      from: str(fields, 'From') ?? '',
      to: str(fields, 'To') ?? '',
      label: str(fields, 'Label') ?? null,
      endConferenceOnExit: bool(fields, 'EndConferenceOnExit') ?? false,
      startConferenceOnEnter: bool(fields, 'StartConferenceOnEnter') ?? true,
      muted: bool(fields, 'Muted') ?? false,
      coaching: bool(fields, 'Coaching') ?? false,
      callSidToCoach: str(fields, 'CallSidToCoach') ?? null,
      earlyMedia: bool(fields, 'EarlyMedia') ?? true,
      timeoutS: int(fields, 'Timeout') ?? 30,
      statusCallback: callback(fields, 'StatusCallback'),
      conferenceCallback: callback(fields, 'ConferenceStatusCallback'),
    });
    return { body: participantJson(options.accountSid, participant) };
  });
}
