import { newSid } from '../sids.ts';
import type { ConferenceNoun, EnqueueVerb, Verb } from '../twiml.ts';
import type { EnqueueAction, QueueResult } from './enqueue-action.ts';
import { followEnqueueAction, notifyEnqueueAction } from './enqueue-action.ts';
import { QueueSids } from './queue-sids.ts';
import type { CallRecord, CallStatus, Party, StatusCallback } from './records.ts';
import { endedCallStatuses } from './records.ts';
import type { World } from './world.ts';

export interface NewCall {
  from: string;
  to: string;
  direction: CallRecord['direction'];
  party: Party;
  parentCallSid?: string | null;
  statusCallback?: StatusCallback | null;
}

/** How a call left what it was doing when it was hung up or given new TwiML. */
export type InterruptCause = 'hangup' | 'api-hangup' | 'redirect';

/**
 * Calls and the TwiML they run. A call runs its verbs in order: <Dial><Conference> and
 * <Enqueue> block until the call leaves the conference or the queue, then the next verb
 * runs (or, for an <Enqueue> with an action, the TwiML its action answers); when the verbs
 * run out the call hangs up, as on Twilio.
 */
export class Calls {
  private readonly records = new Map<string, CallRecord>();
  private readonly queueSids = new QueueSids();

  constructor(private readonly world: World) {}

  get(sid: string): CallRecord | undefined {
    return this.records.get(sid);
  }

  all(): CallRecord[] {
    return [...this.records.values()];
  }

  isLive(call: CallRecord): boolean {
    return !endedCallStatuses.includes(call.status);
  }

  create(init: NewCall): CallRecord {
    const now = this.world.clock.now();
    const call: CallRecord = {
      sid: newSid('CA'),
      from: init.from,
      to: init.to,
      direction: init.direction,
      parentCallSid: init.parentCallSid ?? null,
      status: 'queued',
      dateCreated: now,
      dateUpdated: now,
      startTime: null,
      endTime: null,
      party: init.party,
      place: { kind: 'idle' },
      program: [],
      pc: 0,
      enqueued: null,
      statusCallback: init.statusCallback ?? null,
    };
    this.records.set(call.sid, call);
    this.world.events.emit('callCreated', { callSid: call.sid, party: call.party, at: now });
    this.progress(call, 'initiated');
    return call;
  }

  ringing(call: CallRecord): void {
    call.status = 'ringing';
    call.place = { kind: 'ringing' };
    call.dateUpdated = this.world.clock.now();
    this.progress(call, 'ringing');
    this.world.changed();
  }

  answer(call: CallRecord): void {
    const now = this.world.clock.now();
    call.status = 'in-progress';
    call.startTime = now;
    call.dateUpdated = now;
    call.place = { kind: 'idle' };
    this.note(call, 'answered');
    this.progress(call, 'answered');
    this.world.changed();
  }

  /** Ends a call that never connected (busy, no-answer, failed, canceled). */
  fail(call: CallRecord, status: CallStatus): void {
    this.finish(call, status, `call ${status}`);
  }

  /** Replaces the call's TwiML and runs it from the first verb. */
  run(call: CallRecord, program: Verb[]): void {
    call.program = program;
    call.pc = 0;
    call.enqueued = null;
    this.step(call);
  }

  /**
   * New TwiML for a live call (Calls update): it leaves what it was doing, then runs it. A
   * call redirected out of its <Enqueue> (queued, or bridged from the queue) requests no
   * action. Inferred: the new document replaces the one the <Enqueue> belonged to. Open: the
   * QueueResult list of https://www.twilio.com/docs/voice/twiml/enqueue names `redirected`
   * ("redirected out of the queue, typically by a REST API request") and
   * `redirected-from-bridged`, which suggests Twilio does request the action then (its answer
   * unused); the simulator does not.
   */
  redirect(call: CallRecord, program: Verb[]): void {
    this.interrupt(call, 'redirect');
    this.run(call, program);
  }

  /**
   * The caller (or the API, or the agent's browser) hangs up. A call that hangs up in its
   * <Enqueue> has the action requested after it ended (CallStatus completed, answer unused):
   * QueueResult `hangup` from the queue, `bridged` from the conference it was bridged into,
   * whose end is the moment the action is "hit once when the bridged parties disconnect"
   * (https://www.twilio.com/docs/voice/twiml/enqueue, "action"). Inferred: a hang-up through
   * the API (Calls update Status=completed) counts as the caller's hang-up.
   */
  hangup(call: CallRecord, cause: 'hangup' | 'api-hangup' = 'hangup'): void {
    if (!this.isLive(call)) return;
    const place = call.place.kind;
    const action = this.currentEnqueueAction(call);
    const enqueued = call.enqueued;
    call.enqueued = null;
    this.interrupt(call, cause);
    this.finish(call, 'completed', cause === 'hangup' ? 'hung up' : 'hung up via the API');
    if (action === null || enqueued === null) return;
    if (place === 'queue') notifyEnqueueAction(this.world, call, action, enqueued, 'hangup');
    if (place === 'conference') notifyEnqueueAction(this.world, call, action, enqueued, 'bridged');
  }

  /**
   * A conference let the call go (it ended, or the call was kicked). A call bridged there out
   * of its <Enqueue> now leaves that verb: QueueResult `bridged`; otherwise the next verb runs.
   */
  leftConference(callSid: string): void {
    const call = this.records.get(callSid);
    if (call === undefined || call.place.kind !== 'conference') return;
    call.place = { kind: 'idle' };
    this.leaveVerb(call, 'bridged');
  }

  /**
   * The queue let the call go without bridging it (task canceled, TTL): QueueResult `leave`
   * when its <Enqueue> has an action, else the next verb runs. Inferred: the docs name `leave`
   * for the <Leave> verb only; TaskRouter canceling the task of a waiting call takes it out of
   * the queue the same way, with the caller still on the line.
   */
  leftQueue(callSid: string, why: string): void {
    const call = this.records.get(callSid);
    if (call === undefined || call.place.kind !== 'queue') return;
    this.note(call, `left the queue (${why})`);
    call.place = { kind: 'idle' };
    this.leaveVerb(call, 'leave');
  }

  /** The conference instruction bridged the waiting call into a conference: its queue time ends. */
  bridgedFromQueue(call: CallRecord, to: string): void {
    if (call.enqueued !== null) call.enqueued.bridgedAt = this.world.clock.now();
    this.note(call, `left the queue: bridged to ${to}`);
  }

  /**
   * The call, still live, left the blocking verb at `pc` (a conference or a queue). An
   * <Enqueue> with an action asks it what comes next, reporting `result` (at most once per
   * run; the call waits, live and idle, for the answer); any other verb, or an <Enqueue>
   * without an action, goes on to the next verb.
   */
  private leaveVerb(call: CallRecord, result: QueueResult): void {
    const action = this.currentEnqueueAction(call);
    const enqueued = call.enqueued;
    call.enqueued = null;
    if (action === null || enqueued === null) {
      call.pc++;
      this.step(call);
      return;
    }
    followEnqueueAction(this.world, call, action, enqueued, result);
    this.world.changed();
  }

  /** The action of the <Enqueue> the call is in now, if it has one. */
  private currentEnqueueAction(call: CallRecord): EnqueueAction | null {
    const verb = call.program[call.pc];
    if (verb?.verb !== 'Enqueue' || verb.enqueue.action === null || call.enqueued === null)
      return null;
    return { url: verb.enqueue.action, method: verb.enqueue.method };
  }

  note(call: CallRecord, text: string): void {
    this.world.events.emit('note', { callSid: call.sid, at: this.world.clock.now(), text });
  }

  private interrupt(call: CallRecord, cause: InterruptCause): void {
    const place = call.place;
    switch (place.kind) {
      case 'conference': {
        const reason = cause === 'hangup' ? 'participant_hung_up' : 'participant_updated_via_api';
        const status: CallStatus = cause === 'redirect' ? 'in-progress' : 'completed';
        call.place = { kind: 'idle' };
        this.world.conferences.removeCall(place.conferenceSid, call.sid, reason, status);
        break;
      }
      case 'queue':
        call.place = { kind: 'idle' };
        this.world.taskrouter.tasks.callLeftQueue(
          place.taskSid,
          cause === 'redirect' ? 'redirect' : 'hangup',
        );
        break;
      case 'playing':
        place.timer.cancel();
        call.place = { kind: 'idle' };
        break;
      case 'ringing':
      case 'idle':
      case 'ended':
        break;
    }
  }

  private finish(call: CallRecord, status: CallStatus, text: string): void {
    if (!this.isLive(call)) return;
    const now = this.world.clock.now();
    call.status = status;
    call.endTime = now;
    call.dateUpdated = now;
    call.place = { kind: 'ended' };
    this.note(call, text);
    // A participant the API was still dialing goes from its conference's list.
    this.world.conferences.dropDialing(call.sid, status);
    this.progress(call, 'completed');
    this.world.changed();
  }

  private progress(
    call: CallRecord,
    progress: 'initiated' | 'ringing' | 'answered' | 'completed',
  ): void {
    this.world.events.emit('callStatus', {
      callSid: call.sid,
      status: call.status,
      progress,
      at: this.world.clock.now(),
    });
  }

  /** Runs verbs from `pc` until one blocks or the program ends. */
  private step(call: CallRecord): void {
    while (this.isLive(call)) {
      const verb = call.program[call.pc];
      if (verb === undefined) {
        this.finish(call, 'completed', 'TwiML ended: call hung up');
        return;
      }
      switch (verb.verb) {
        case 'Say':
          this.play(call, `say "${verb.text}"`, this.world.options.timing.announcementMs);
          return;
        case 'Play':
          this.play(call, `play ${verb.url}`, this.world.options.timing.announcementMs);
          return;
        case 'Pause':
          this.play(call, 'pause', this.world.scaledMs(verb.lengthS));
          return;
        case 'Hangup':
          this.finish(call, 'completed', 'TwiML <Hangup>');
          return;
        case 'Dial':
          this.dialConference(call, verb.conference);
          return;
        case 'Enqueue':
          if (this.enqueue(call, verb.enqueue)) return;
          call.pc++;
          continue;
        case 'Unsupported':
          this.note(call, `skipped unsupported TwiML <${verb.name}>`);
          call.pc++;
          continue;
      }
    }
  }

  private play(call: CallRecord, what: string, ms: number): void {
    this.note(call, `heard ${what}`);
    const timer = this.world.clock.after(ms, () => {
      if (call.place.kind !== 'playing' || call.place.timer !== timer) return;
      call.place = { kind: 'idle' };
      call.pc++;
      this.step(call);
    });
    call.place = { kind: 'playing', what, timer };
    this.world.changed();
  }

  private dialConference(call: CallRecord, noun: ConferenceNoun): void {
    const conference = this.world.conferences.ensure(noun.name);
    this.world.conferences.join(conference, call, {
      label: noun.label,
      endConferenceOnExit: noun.endConferenceOnExit,
      startConferenceOnEnter: noun.startConferenceOnEnter,
      muted: noun.muted,
      coaching: false,
      callSidToCoach: null,
      callback:
        noun.statusCallback === null
          ? null
          : {
              url: noun.statusCallback,
              method: noun.statusCallbackMethod ?? 'POST',
              events: noun.statusCallbackEvent,
            },
    });
  }

  /** Puts the call in a TaskRouter queue; false when the verb cannot run (it is skipped). */
  private enqueue(call: CallRecord, verb: EnqueueVerb): boolean {
    if (verb.workflowSid === null) {
      this.note(call, 'skipped <Enqueue> without workflowSid (plain queues are not simulated)');
      return false;
    }
    const task = this.world.taskrouter.tasks.enqueueCall(call, verb);
    if (task === null) return false;
    call.place = {
      kind: 'queue',
      taskSid: task.sid,
      waitUrl: verb.waitUrl ?? 'default queue music',
    };
    call.enqueued = {
      queueSid: this.queueSids.of(verb.workflowSid),
      enteredAt: this.world.clock.now(),
      bridgedAt: null,
    };
    this.note(call, `waits in queue for task ${task.sid}`);
    this.world.changed();
    return true;
  }
}
