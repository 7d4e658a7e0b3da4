import { newSid } from '../sids.ts';
import type { ConferenceEventName, ParticipantSnapshot } from './events.ts';
import type {
  CallRecord,
  CallStatus,
  ConferenceCallback,
  ConferenceRecord,
  ParticipantRecord,
} from './records.ts';
import type { World } from './world.ts';

export interface JoinOptions {
  label: string | null;
  endConferenceOnExit: boolean;
  startConferenceOnEnter: boolean;
  muted: boolean;
  coaching: boolean;
  callSidToCoach: string | null;
  /** The conference status callback this participant asks for (kept only if it is the first). */
  callback: ConferenceCallback | null;
}

export interface ParticipantChanges {
  hold?: boolean;
  holdUrl?: string;
  muted?: boolean;
  endConferenceOnExit?: boolean;
  coaching?: boolean;
  callSidToCoach?: string;
  beepOnExit?: boolean;
  announceUrl?: string;
}

/** Twilio's default hold music, played when a participant is held without a HoldUrl. */
export const defaultHoldMusic = 'default hold music';

function snapshot(p: ParticipantRecord): ParticipantSnapshot {
  return {
    callSid: p.callSid,
    label: p.label,
    muted: p.muted,
    hold: p.hold,
    coaching: p.coaching,
    endConferenceOnExit: p.endConferenceOnExit,
    startConferenceOnEnter: p.startConferenceOnEnter,
  };
}

/**
 * Conferences with Twilio's semantics: the first participant to join fixes the status
 * callback; a participant with endConferenceOnExit leaving ends the conference for everyone;
 * the last participant leaving ends it; ending it releases every remaining call to its next
 * TwiML verb (usually: hang up).
 */
export class Conferences {
  private readonly records = new Map<string, ConferenceRecord>();

  constructor(private readonly world: World) {}

  get(sid: string): ConferenceRecord | undefined {
    return this.records.get(sid);
  }

  all(): ConferenceRecord[] {
    return [...this.records.values()];
  }

  /** The live conference of that name. */
  liveByName(name: string): ConferenceRecord | undefined {
    return this.all().find((c) => c.friendlyName === name && c.status !== 'completed');
  }

  /** The live conference of that name, or a new one (Twilio creates conferences on first use). */
  ensure(name: string): ConferenceRecord {
    const live = this.liveByName(name);
    if (live !== undefined) return live;
    const now = this.world.clock.now();
    const conference: ConferenceRecord = {
      sid: newSid('CF'),
      friendlyName: name,
      status: 'init',
      dateCreated: now,
      dateUpdated: now,
      participants: new Map(),
      callback: null,
      callbackFixed: false,
      reasonConferenceEnded: null,
      callSidEndingConference: null,
    };
    this.records.set(conference.sid, conference);
    return conference;
  }

  connected(conference: ConferenceRecord): ParticipantRecord[] {
    return [...conference.participants.values()].filter((p) => p.status === 'connected');
  }

  /** A participant the API is dialing: listed (queued, then ringing) but not yet joined. */
  addDialing(
    conference: ConferenceRecord,
    callSid: string,
    options: JoinOptions,
  ): ParticipantRecord {
    const now = this.world.clock.now();
    const participant = this.newParticipant(conference, callSid, options, now);
    participant.status = 'queued';
    conference.participants.set(callSid, participant);
    return participant;
  }

  /** Connects a live call to the conference. */
  join(conference: ConferenceRecord, call: CallRecord, options: JoinOptions): ParticipantRecord {
    const now = this.world.clock.now();
    if (!conference.callbackFixed) {
      conference.callbackFixed = true;
      conference.callback = options.callback;
    }
    const existing = conference.participants.get(call.sid);
    const participant = existing ?? this.newParticipant(conference, call.sid, options, now);
    participant.status = 'connected';
    participant.dateUpdated = now;
    conference.participants.set(call.sid, participant);
    call.place = { kind: 'conference', conferenceSid: conference.sid };
    conference.dateUpdated = now;
    this.world.calls.note(call, `joined conference ${conference.friendlyName} (${conference.sid})`);
    this.emit(conference, 'participant-join', participant);
    if (conference.status === 'init' && participant.startConferenceOnEnter) {
      conference.status = 'in-progress';
      this.emit(conference, 'conference-start', null);
    }
    this.world.changed();
    return participant;
  }

  /** A participant being dialed never answered: it goes, and the conference hears of it. */
  dialFailed(conferenceSid: string, callSid: string, callStatus: CallStatus): void {
    const conference = this.records.get(conferenceSid);
    const participant = conference?.participants.get(callSid);
    if (conference === undefined || participant === undefined) return;
    conference.participants.delete(callSid);
    participant.status = 'failed';
    if (conference.status === 'in-progress') {
      this.emit(conference, 'participant-leave', participant, {
        leave: { callStatus, reason: 'participant_add_failed' },
      });
    }
  }

  /** The call being dialed for a participant ended before it joined (canceled, hung up, failed). */
  dropDialing(callSid: string, callStatus: CallStatus): void {
    for (const conference of this.records.values()) {
      const participant = conference.participants.get(callSid);
      if (participant !== undefined && participant.status !== 'connected') {
        this.dialFailed(conference.sid, callSid, callStatus);
      }
    }
  }

  /**
   * A call leaves (hung up, or moved by the API). The call itself decides what it does next;
   * the conference may end because of it.
   */
  removeCall(conferenceSid: string, callSid: string, reason: string, callStatus: CallStatus): void {
    const conference = this.records.get(conferenceSid);
    if (conference === undefined || conference.status === 'completed') return;
    this.leave(conference, callSid, reason, callStatus);
  }

  /** Kicks a participant (Participants DELETE): it leaves and its call runs its next verb. */
  kick(conference: ConferenceRecord, callSid: string): void {
    const participant = conference.participants.get(callSid);
    if (participant === undefined) return;
    if (participant.status !== 'connected') {
      const call = this.world.calls.get(callSid);
      conference.participants.delete(callSid);
      if (call !== undefined) this.world.calls.fail(call, 'canceled');
      return;
    }
    this.leave(conference, callSid, 'participant_updated_via_api', 'in-progress', true);
  }

  /** Ends the conference through the API (Status=completed). */
  endViaApi(conference: ConferenceRecord): void {
    if (conference.status === 'completed') return;
    this.end(conference, 'conference-ended-via-api', null, 'conference_ended_via_api');
  }

  updateParticipant(
    conference: ConferenceRecord,
    callSid: string,
    changes: ParticipantChanges,
  ): ParticipantRecord | null {
    const participant = conference.participants.get(callSid);
    if (participant === undefined) return null;
    const now = this.world.clock.now();
    if (changes.holdUrl !== undefined) participant.holdUrl = changes.holdUrl;
    if (changes.hold !== undefined && changes.hold !== participant.hold) {
      participant.hold = changes.hold;
      participant.dateUpdated = now;
      this.emit(conference, changes.hold ? 'participant-hold' : 'participant-unhold', participant);
    }
    if (changes.muted !== undefined && changes.muted !== participant.muted) {
      participant.muted = changes.muted;
      participant.dateUpdated = now;
      this.emit(conference, changes.muted ? 'participant-mute' : 'participant-unmute', participant);
    }
    let modified = false;
    // Twilio does not apply endConferenceOnExit to a held participant (Flex's hold workaround
    // unholds, sets it, and holds again): the change is dropped, and the response shows it.
    if (
      changes.endConferenceOnExit !== undefined &&
      changes.endConferenceOnExit !== participant.endConferenceOnExit &&
      !participant.hold
    ) {
      participant.endConferenceOnExit = changes.endConferenceOnExit;
      modified = true;
    }
    if (changes.coaching !== undefined && changes.coaching !== participant.coaching) {
      participant.coaching = changes.coaching;
      modified = true;
    }
    if (
      changes.callSidToCoach !== undefined &&
      changes.callSidToCoach !== participant.callSidToCoach
    ) {
      participant.callSidToCoach = changes.callSidToCoach;
      modified = true;
    }
    if (changes.beepOnExit !== undefined) participant.beepOnExit = changes.beepOnExit;
    if (modified) {
      participant.dateUpdated = now;
      this.emit(conference, 'participant-modify', participant);
    }
    if (changes.announceUrl !== undefined)
      this.announce(conference, changes.announceUrl, [participant]);
    this.world.changed();
    return participant;
  }

  /** Plays an announcement to the given participants (all connected ones by default). */
  announce(conference: ConferenceRecord, url: string, to?: ParticipantRecord[]): void {
    const ms = this.world.options.timing.announcementMs;
    const until = this.world.clock.now() + ms;
    const listeners = to ?? this.connected(conference);
    for (const participant of listeners) {
      participant.hearing = { url, until };
      const call = this.world.calls.get(participant.callSid);
      if (call !== undefined) this.world.calls.note(call, `heard announcement ${url}`);
    }
    this.world.changed();
    this.world.clock.after(ms, () => {
      for (const participant of listeners) {
        if (participant.hearing?.until === until) participant.hearing = null;
      }
      if (conference.status !== 'completed') this.emit(conference, 'announcement-end', null);
      this.world.changed();
    });
  }

  private newParticipant(
    conference: ConferenceRecord,
    callSid: string,
    options: JoinOptions,
    now: number,
  ): ParticipantRecord {
    return {
      callSid,
      conferenceSid: conference.sid,
      label: options.label,
      muted: options.muted,
      hold: false,
      holdUrl: null,
      coaching: options.coaching,
      callSidToCoach: options.callSidToCoach,
      endConferenceOnExit: options.endConferenceOnExit,
      startConferenceOnEnter: options.startConferenceOnEnter,
      beepOnExit: true,
      status: 'connecting',
      dateCreated: now,
      dateUpdated: now,
      hearing: null,
    };
  }

  private leave(
    conference: ConferenceRecord,
    callSid: string,
    reason: string,
    callStatus: CallStatus,
    releaseCall = false,
  ): void {
    const participant = conference.participants.get(callSid);
    if (participant === undefined) return;
    conference.participants.delete(callSid);
    participant.status = 'complete';
    conference.dateUpdated = this.world.clock.now();
    const call = this.world.calls.get(callSid);
    if (call !== undefined)
      this.world.calls.note(call, `left conference ${conference.friendlyName} (${reason})`);
    this.emit(conference, 'participant-leave', participant, { leave: { callStatus, reason } });
    if (releaseCall) this.world.calls.leftConference(callSid);
    if (participant.endConferenceOnExit) {
      this.end(
        conference,
        'participant-with-end-conference-on-exit-left',
        callSid,
        'moderator_ended_conference',
      );
    } else if (this.connected(conference).length === 0) {
      this.end(conference, 'last-participant-left', callSid, 'moderator_ended_conference');
    }
    this.world.changed();
  }

  private end(
    conference: ConferenceRecord,
    reason: string,
    callSidEnding: string | null,
    participantReason: string,
  ): void {
    if (conference.status === 'completed') return;
    const now = this.world.clock.now();
    conference.status = 'completed';
    conference.reasonConferenceEnded = reason;
    conference.callSidEndingConference = callSidEnding;
    conference.dateUpdated = now;
    const remaining = [...conference.participants.values()];
    conference.participants.clear();
    for (const participant of remaining) {
      const call = this.world.calls.get(participant.callSid);
      if (participant.status !== 'connected') {
        if (call !== undefined) this.world.calls.fail(call, 'canceled');
        continue;
      }
      participant.status = 'complete';
      if (call !== undefined) {
        this.world.calls.note(
          call,
          `left conference ${conference.friendlyName} (${participantReason})`,
        );
      }
      this.emit(conference, 'participant-leave', participant, {
        leave: { callStatus: 'completed', reason: participantReason },
      });
    }
    this.emit(conference, 'conference-end', null, { end: { reason, callSidEnding } });
    // The calls run on (usually into the end of their TwiML, which hangs them up).
    for (const participant of remaining) {
      if (participant.status === 'complete') this.world.calls.leftConference(participant.callSid);
    }
    this.world.changed();
  }

  private emit(
    conference: ConferenceRecord,
    name: ConferenceEventName,
    participant: ParticipantRecord | null,
    extra: {
      leave?: { callStatus: CallStatus; reason: string };
      end?: { reason: string; callSidEnding: string | null };
    } = {},
  ): void {
    this.world.events.emit('conference', {
      name,
      at: this.world.clock.now(),
      conferenceSid: conference.sid,
      friendlyName: conference.friendlyName,
      callback: conference.callback,
      participant: participant === null ? null : snapshot(participant),
      leave: extra.leave ?? null,
      end: extra.end ?? null,
    });
  }
}
