import type { EnqueueRun, CallRecord } from './records.ts';
import { fetchTwiml, requestVoiceUrl } from './twiml-fetch.ts';
import type { World } from './world.ts';

/**
 * How a call's <Enqueue> ended, as its action request reports it (QueueResult). Twilio
 * documents more values (https://www.twilio.com/docs/voice/twiml/enqueue, "action"):
 * bridging-in-process, error, redirected, redirected-from-bridged, queue-full and
 * system-error; the simulator has no path that produces them.
 */
export type QueueResult = 'bridged' | 'leave' | 'hangup';

/** Where an <Enqueue>'s action request goes. */
export interface EnqueueAction {
  url: string;
  method: string;
}

/**
 * Whole seconds the call spent in the queue: up to its bridge when it was bridged (the time in
 * the conference is not queue time), else up to `now`. Inferred: the docs say only "the time
 * the call spent in the queue in seconds"; whole seconds, rounded down.
 */
export function queueTimeS(run: EnqueueRun, now: number): number {
  return Math.max(0, Math.floor(((run.bridgedAt ?? now) - run.enteredAt) / 1000));
}

/** What the action request adds to the standard call parameters. */
export function enqueueActionParams(
  run: EnqueueRun,
  result: QueueResult,
  now: number,
): Record<string, string> {
  return {
    QueueResult: result,
    QueueSid: run.queueSid,
    QueueTime: String(queueTimeS(run, now)),
  };
}

/**
 * A live call left its <Enqueue>: request the action and run the TwiML it answers, which
 * replaces the document (https://www.twilio.com/docs/voice/twiml/enqueue: without an action
 * the call would go on to the next verb; with one, the action decides). The call is live and
 * idle while the request is out; if it hangs up or is redirected meanwhile, the answer is
 * ignored. A failed request or invalid TwiML ends the call, as Twilio does on an application
 * error and as the simulator does when a call's Url fails (a note, then no verbs to run).
 */
export function followEnqueueAction(
  world: World,
  call: CallRecord,
  action: EnqueueAction,
  run: EnqueueRun,
  result: QueueResult,
): void {
  const { program, pc } = call;
  const params = enqueueActionParams(run, result, world.clock.now());
  world.calls.note(call, `requested Enqueue action (QueueResult=${result})`);
  void fetchTwiml(world, call, action.url, action.method, params).then((verbs) => {
    if (!world.calls.isLive(call)) {
      world.calls.note(call, 'ignored the Enqueue action answer: the call had ended');
      return;
    }
    if (call.program !== program || call.pc !== pc || call.place.kind !== 'idle') {
      world.calls.note(call, 'ignored the Enqueue action answer: the call had new TwiML');
      return;
    }
    world.calls.run(call, verbs ?? []);
  });
}

/**
 * The call ended while in its <Enqueue> (queued, or bridged from the queue): the action
 * still hears how it ended, with CallStatus completed, and its answer has no call to run on.
 */
export function notifyEnqueueAction(
  world: World,
  call: CallRecord,
  action: EnqueueAction,
  run: EnqueueRun,
  result: QueueResult,
): void {
  const params = enqueueActionParams(run, result, world.clock.now());
  world.calls.note(call, `requested Enqueue action (QueueResult=${result})`);
  void requestVoiceUrl(world, call, action.url, action.method, params).then((answer) => {
    if (answer.status === null || answer.status >= 300) {
      world.calls.note(
        call,
        `Enqueue action request to ${action.url} failed: ${answer.error ?? `HTTP ${answer.status}`}`,
      );
    }
  });
}
