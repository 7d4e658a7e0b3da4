import { rfc2822 } from '../dates.ts';
import { newSid } from '../sids.ts';
import type { ConferenceEvent } from '../world/events.ts';
import { subscriptionWord } from '../world/events.ts';
import type { World } from '../world/world.ts';
import type { Outbox } from './outbox.ts';
import type { VoiceWebhookContext } from './voice-webhook.ts';
import { sendVoiceWebhook } from './voice-webhook.ts';

/** Events a conference callback gets when statusCallbackEvent names none (Twilio's default). */
const defaultWords = ['start', 'end'];

const flag = (value: boolean): string => (value ? 'true' : 'false');

/** The form fields Twilio posts for a conference event (twilio-facts section 2). */
export function conferenceCallbackParams(
  accountSid: string,
  event: ConferenceEvent,
  sequenceNumber: number,
): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: accountSid,
    ConferenceSid: event.conferenceSid,
    FriendlyName: event.friendlyName,
    SequenceNumber: String(sequenceNumber),
    Timestamp: rfc2822(event.at),
    StatusCallbackEvent: event.name,
  };
  const p = event.participant;
  if (p !== null) {
    params['CallSid'] = p.callSid;
    params['Muted'] = flag(p.muted);
    params['Hold'] = flag(p.hold);
    params['Coaching'] = flag(p.coaching);
    params['EndConferenceOnExit'] = flag(p.endConferenceOnExit);
    params['StartConferenceOnEnter'] = flag(p.startConferenceOnEnter);
    if (p.label !== null) params['ParticipantLabel'] = p.label;
  }
  if (event.leave !== null) {
    params['ParticipantCallStatus'] = event.leave.callStatus;
    params['ReasonParticipantLeft'] = event.leave.reason;
  }
  if (event.end !== null) {
    params['ReasonConferenceEnded'] = event.end.reason;
    if (event.end.callSidEnding !== null)
      params['CallSidEndingConference'] = event.end.callSidEnding;
  }
  return params;
}

/**
 * Sends conference status callbacks: only the events the first participant subscribed to,
 * to the URL it gave, numbered per conference, one conference's callbacks in order.
 */
export class ConferenceCallbacks {
  private readonly sequence = new Map<string, number>();

  constructor(
    world: World,
    private readonly outbox: Outbox,
    private readonly context: VoiceWebhookContext,
  ) {
    world.events.on('conference', (event) => this.onEvent(world.options.accountSid, event));
  }

  private onEvent(accountSid: string, event: ConferenceEvent): void {
    const callback = event.callback;
    if (callback === null) return;
    const words = callback.events.length === 0 ? defaultWords : callback.events;
    if (!words.includes(subscriptionWord[event.name])) return;
    const sequenceNumber = (this.sequence.get(event.conferenceSid) ?? 0) + 1;
    this.sequence.set(event.conferenceSid, sequenceNumber);
    const params = conferenceCallbackParams(accountSid, event, sequenceNumber);
    const webhookId = newSid('EV');
    this.outbox.push({
      key: event.conferenceSid,
      send: (duplicate) =>
        sendVoiceWebhook(
          this.context,
          'conference',
          webhookId,
          callback.url,
          callback.method,
          params,
          duplicate,
        ),
    });
  }
}
