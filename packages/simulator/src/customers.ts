import type { JsonObject } from './json.ts';
import type { Timeline, CallTimeline } from './timeline.ts';
import type { NumberBehaviour } from './world/dial-out.ts';
import type { CallRecord } from './world/records.ts';
import type { World } from './world/world.ts';

export interface InboundCall {
  from: string;
  to?: string;
  workflowSid: string;
  attributes?: JsonObject;
  priority?: number;
  /** Task TTL in seconds. */
  timeout?: number;
  /** The <Enqueue>'s action URL and method (default POST); none: the call hangs up after it. */
  action?: { url: string; method?: string };
}

/** A customer's call, as a test drives it. */
export interface CustomerCall {
  callSid: string;
  /** The task created when the call was enqueued. */
  taskSid: string | null;
  record(): CallRecord;
  hangup(): void;
  timeline(): CallTimeline;
}

/** `sim.calls`: customers calling in, parties hanging up, and how dialed numbers behave. */
export class CallsFacade {
  constructor(
    private readonly world: World,
    private readonly timelines: Timeline,
  ) {}

  /** A customer calls in and is enqueued (TwiML `<Enqueue workflowSid><Task>`) as a task. */
  inbound(call: InboundCall): CustomerCall {
    const record = this.world.calls.create({
      from: call.from,
      to: call.to ?? '+15550100000',
      direction: 'inbound',
      party: { kind: 'customer' },
    });
    this.world.calls.ringing(record);
    this.world.calls.answer(record);
    this.world.calls.run(record, [
      {
        verb: 'Enqueue',
        enqueue: {
          queueName: null,
          workflowSid: call.workflowSid,
          waitUrl: null,
          action: call.action?.url ?? null,
          method: (call.action?.method ?? 'POST').toUpperCase(),
          task: {
            attributes: JSON.stringify(call.attributes ?? {}),
            priority: call.priority ?? null,
            timeout: call.timeout ?? null,
          },
        },
      },
    ]);
    const taskSid = record.place.kind === 'queue' ? record.place.taskSid : null;
    return this.handle(record, taskSid);
  }

  get(callSid: string): CallRecord {
    const call = this.world.calls.get(callSid);
    if (call === undefined) throw new Error(`no call ${callSid}`);
    return call;
  }

  all(): CallRecord[] {
    return this.world.calls.all();
  }

  /** Any party hangs up (customer, external party, or an agent's leg). */
  hangup(callSid: string): void {
    this.world.calls.hangup(this.get(callSid), 'hangup');
  }

  /** How a number behaves when dialed (participant create, call create). */
  setNumber(number: string, behaviour: NumberBehaviour): void {
    this.world.numbers.set(number, behaviour);
  }

  private handle(record: CallRecord, taskSid: string | null): CustomerCall {
    return {
      callSid: record.sid,
      taskSid,
      record: () => record,
      hangup: () => this.world.calls.hangup(record, 'hangup'),
      timeline: () => this.timelines.of(record.sid),
    };
  }
}
