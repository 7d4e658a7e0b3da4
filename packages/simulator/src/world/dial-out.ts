import type {
  ConferenceRecord,
  ConferenceCallback,
  ParticipantRecord,
  StatusCallback,
} from './records.ts';
import type { World } from './world.ts';
import type { JoinOptions } from './conferences.ts';

/** How a number the simulator dials behaves. Numbers not configured answer. */
export interface NumberBehaviour {
  answer: 'answer' | 'busy' | 'no-answer' | 'failed';
  /** Ring time before answering (default: timing.ringMs). */
  ringMs?: number;
}

/** A participant to dial into a conference: how it joins, and the call that rings it. */
export interface DialParticipant extends Omit<JoinOptions, 'callback'> {
  from: string;
  to: string;
  earlyMedia: boolean;
  /** Ring timeout in seconds (scaled by timing.timeScale). */
  timeoutS: number;
  statusCallback: StatusCallback | null;
  conferenceCallback: ConferenceCallback | null;
}

/**
 * Participants create: dials an external number; when it answers it joins the conference
 * (and runs to the end of its <Dial>, hanging up when the conference ends).
 */
export function dialParticipant(
  world: World,
  conference: ConferenceRecord,
  dial: DialParticipant,
): ParticipantRecord {
  const call = world.calls.create({
    from: dial.from,
    to: dial.to,
    direction: 'outbound-api',
    party: { kind: 'external' },
    statusCallback: dial.statusCallback,
  });
  const options = {
    label: dial.label,
    endConferenceOnExit: dial.endConferenceOnExit,
    startConferenceOnEnter: dial.startConferenceOnEnter,
    muted: dial.muted,
    coaching: dial.coaching,
    callSidToCoach: dial.callSidToCoach,
    callback: dial.conferenceCallback,
  };
  const participant = world.conferences.addDialing(conference, call.sid, options);
  const behaviour = world.numbers.get(dial.to) ?? { answer: 'answer' };
  const ringMs = behaviour.ringMs ?? world.draw('ring', world.options.timing.ringMs);
  const timeoutMs = world.scaledMs(dial.timeoutS);
  world.clock.after(0, () => {
    if (!world.calls.isLive(call)) return;
    world.calls.ringing(call);
    participant.status = 'ringing';
  });
  const unanswered =
    behaviour.answer === 'no-answer' || (behaviour.answer === 'answer' && ringMs > timeoutMs);
  world.clock.after(unanswered ? timeoutMs : ringMs, () => {
    if (!world.calls.isLive(call)) return;
    if (behaviour.answer !== 'answer' || unanswered) {
      const status = unanswered ? 'no-answer' : behaviour.answer === 'busy' ? 'busy' : 'failed';
      world.conferences.dialFailed(conference.sid, call.sid, status);
      world.calls.fail(call, status);
      return;
    }
    world.calls.answer(call);
    if (conference.status === 'completed' || !conference.participants.has(call.sid)) {
      // The conference ended (or dropped the participant) while it rang.
      world.calls.hangup(call, 'api-hangup');
      return;
    }
    call.program = [];
    call.pc = 0;
    world.conferences.join(conference, call, options);
  });
  return participant;
}
