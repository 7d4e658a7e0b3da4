import { rfc2822 } from '../dates.ts';
import { newSid } from '../sids.ts';
import type { CallStatusEvent } from '../world/events.ts';
import type { World } from '../world/world.ts';
import type { Outbox } from './outbox.ts';
import type { VoiceWebhookContext } from './voice-webhook.ts';
import { sendVoiceWebhook } from './voice-webhook.ts';

/**
 * Call progress callbacks for calls that asked for them (Participants create StatusCallback
 * and StatusCallbackEvent: initiated ringing answered completed; default: completed).
 */
export class CallStatusCallbacks {
  private readonly sequence = new Map<string, number>();

  constructor(
    private readonly world: World,
    private readonly outbox: Outbox,
    private readonly context: VoiceWebhookContext,
  ) {
    world.events.on('callStatus', (event) => this.onEvent(event));
  }

  private onEvent(event: CallStatusEvent): void {
    const call = this.world.calls.get(event.callSid);
    const callback = call?.statusCallback;
    if (call === undefined || callback === undefined || callback === null) return;
    const words = callback.events.length === 0 ? ['completed'] : callback.events;
    if (!words.includes(event.progress)) return;
    const sequenceNumber = this.sequence.get(call.sid) ?? 0;
    this.sequence.set(call.sid, sequenceNumber + 1);
    const params: Record<string, string> = {
      AccountSid: this.world.options.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: call.sid,
      CallStatus: event.status,
      CallbackSource: 'call-progress-events',
      Called: call.to,
      Caller: call.from,
      Direction: call.direction,
      From: call.from,
      To: call.to,
      SequenceNumber: String(sequenceNumber),
      Timestamp: rfc2822(event.at),
    };
    if (call.parentCallSid !== null) params['ParentCallSid'] = call.parentCallSid;
    if (event.progress === 'completed') {
      const seconds =
        call.startTime === null
          ? 0
          : Math.round(((call.endTime ?? event.at) - call.startTime) / 1000);
      params['CallDuration'] = String(seconds);
      params['Duration'] = String(Math.ceil(seconds / 60));
    }
    const webhookId = newSid('EV');
    this.outbox.push({
      key: call.sid,
      send: (duplicate) =>
        sendVoiceWebhook(
          this.context,
          'call-status',
          webhookId,
          callback.url,
          callback.method,
          params,
          duplicate,
        ),
    });
  }
}
