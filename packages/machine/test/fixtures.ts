import type {
  AgentRegistered,
  JsonObject,
  LifelineTag,
  RecoveryConfig,
  RecoveryEvent,
  RecoverySnapshot,
  StepEvent,
  StepResult,
} from '../src/index.ts';
import { start, step } from '../src/index.ts';

/** Obviously fake SIDs: a two-letter prefix and 32 hex digits. */
export const sidOf = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;

export const CONF = sidOf('CF', 1);
export const TASK = sidOf('WT', 1);
export const WORKFLOW = sidOf('WW', 1);
export const CUSTOMER = sidOf('CA', 1);
export const AGENT_CALL = sidOf('CA', 2);
export const AGENT2_CALL = sidOf('CA', 3);
export const EXTERNAL = sidOf('CA', 4);
/** A supervisor or second external number that joins while the recovery runs. */
export const SUPERVISOR = sidOf('CA', 5);
export const WORKER = sidOf('WK', 1);
export const WORKER2 = sidOf('WK', 2);
export const RESERVATION = sidOf('WR', 1);
export const PING_TASK = sidOf('WT', 2);
export const RECONNECT_TASK = sidOf('WT', 3);
export const ESCALATION_TASK = sidOf('WT', 4);
export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
/** The conference the accepted customer task creates (a re-dial's new conference). */
export const NEW_CONF = sidOf('CF', 2);

export function registered(overrides: Partial<AgentRegistered> = {}): AgentRegistered {
  return {
    type: 'agent.registered',
    at: T0,
    taskSid: TASK,
    workflowSid: WORKFLOW,
    taskAttributes: { from: '+15550001111', conversations: { conversation_id: TASK } },
    customerCallSid: CUSTOMER,
    workerSid: WORKER,
    reservationSid: RESERVATION,
    workerCallSid: AGENT_CALL,
    workerName: 'Alice',
    ...overrides,
  };
}

let seq = 0;
export const nextSeq = () => ++seq;

export const joined = (
  callSid: string,
  extra: { label?: string; eoe?: boolean; seq?: number } = {},
) =>
  ({
    type: 'participant.joined',
    at: T0,
    seq: extra.seq ?? nextSeq(),
    callSid,
    label: extra.label ?? null,
    endConferenceOnExit: extra.eoe ?? false,
    hold: false,
  }) satisfies RecoveryEvent;

export const left = (callSid: string, reason = 'participant_hung_up', s?: number) =>
  ({
    type: 'participant.left',
    at: T0 + 1000,
    seq: s ?? nextSeq(),
    callSid,
    label: null,
    endConferenceOnExit: false,
    hold: false,
    reason,
  }) satisfies RecoveryEvent;

export const modified = (callSid: string, eoe: boolean, s?: number) =>
  ({
    type: 'participant.updated',
    at: T0,
    seq: s ?? nextSeq(),
    callSid,
    label: null,
    endConferenceOnExit: eoe,
    hold: false,
    change: 'modify',
  }) satisfies RecoveryEvent;

export const conferenceEnded = (s?: number) =>
  ({
    type: 'conference.ended',
    at: T0 + 5000,
    seq: s ?? nextSeq(),
    reason: 'last-participant-left',
  }) satisfies RecoveryEvent;

export const tag = (kind: LifelineTag['kind'], n = 1): LifelineTag => ({
  conferenceSid: CONF,
  recoveryId: `${CONF}:${n}`,
  kind,
});

/** The tag of the snapshot's current recovery, as Lifeline stamps it on its tasks. */
export const tagOf = (snapshot: RecoverySnapshot, kind: LifelineTag['kind']): LifelineTag => ({
  conferenceSid: CONF,
  recoveryId: snapshot.context.recovery?.id ?? `${CONF}:none`,
  kind,
});

const attrs = (t: LifelineTag): JsonObject => ({ lifeline: { ...t } });

export const taskCreated = (taskSid: string, t: LifelineTag) =>
  ({
    type: 'task.created',
    at: T0 + 2000,
    taskSid,
    attributes: attrs(t),
    lifeline: t,
  }) satisfies RecoveryEvent;

export const queueEntered = (taskSid: string, t: LifelineTag) =>
  ({
    type: 'task.queueEntered',
    at: T0 + 2000,
    taskSid,
    attributes: attrs(t),
    lifeline: t,
    taskQueueSid: sidOf('WQ', 1),
  }) satisfies RecoveryEvent;

export const accepted = (taskSid: string, t: LifelineTag, workerSid = WORKER) =>
  ({
    type: 'reservation.accepted',
    at: T0 + 3000,
    taskSid,
    attributes: attrs(t),
    lifeline: t,
    reservationSid: sidOf('WR', 9),
    workerSid,
  }) satisfies RecoveryEvent;

export const canceled = (taskSid: string, t: LifelineTag, reason = 'Task TTL Exceeded') =>
  ({
    type: 'task.canceled',
    at: T0 + 4000,
    taskSid,
    attributes: attrs(t),
    lifeline: t,
    reason,
  }) satisfies RecoveryEvent;

export const hungUp = (liveParticipantCount: number, workerSid = WORKER) =>
  ({ type: 'agent.hungUp', at: T0 + 900, workerSid, liveParticipantCount }) satisfies RecoveryEvent;

export const transferred = (mode: 'COLD' | 'WARM', workerSid = WORKER) =>
  ({ type: 'agent.transferred', at: T0 + 900, workerSid, mode }) satisfies RecoveryEvent;

export const pageUnloaded = (workerSid = WORKER) =>
  ({ type: 'agent.pageUnloaded', at: T0 + 800, workerSid }) satisfies RecoveryEvent;

export const pingTaskCreated = (recoveryId: string, taskSid = PING_TASK) =>
  ({ type: 'effect.pingTaskCreated', at: T0 + 1500, recoveryId, taskSid }) satisfies RecoveryEvent;

export const partyMoved = (recoveryId: string, callSid: string) =>
  ({ type: 'effect.partyMoved', at: T0 + 3500, recoveryId, callSid }) satisfies RecoveryEvent;

export const partyMoveFailed = (recoveryId: string, callSid: string, error = 'busy') =>
  ({
    type: 'effect.partyMoveFailed',
    at: T0 + 3500,
    recoveryId,
    callSid,
    error,
  }) satisfies RecoveryEvent;

/** A join in the new conference, as the server forwards it to the old conference. */
export const redialJoined = (callSid: string, s?: number, extra: { hold?: boolean } = {}) =>
  ({
    type: 'redial.partyJoined',
    at: T0 + 4000,
    conferenceSid: NEW_CONF,
    seq: s ?? nextSeq(),
    callSid,
    hold: extra.hold ?? false,
  }) satisfies RecoveryEvent;

export const redialLeft = (callSid: string, reason = 'participant_hung_up', s?: number) =>
  ({
    type: 'redial.partyLeft',
    at: T0 + 5000,
    conferenceSid: NEW_CONF,
    seq: s ?? nextSeq(),
    callSid,
    reason,
  }) satisfies RecoveryEvent;

export const customerCallGone = (recoveryId: string) =>
  ({
    type: 'effect.customerCallGone',
    at: T0 + 2500,
    recoveryId,
    callSid: CUSTOMER,
  }) satisfies RecoveryEvent;

/** Runs events through the pure step() and keeps what each step asked for. */
export class Run {
  snapshot: RecoverySnapshot;
  steps: StepResult[] = [];

  constructor(config: Partial<RecoveryConfig> = {}) {
    const first = start({ conferenceSid: CONF, config: { pingTimeoutMs: 20_000, ...config } });
    this.snapshot = first.snapshot;
    this.steps.push(first);
  }

  send(...events: StepEvent[]): StepResult {
    let last: StepResult | undefined;
    for (const event of events) {
      last = step(this.snapshot, event);
      this.snapshot = last.snapshot;
      this.steps.push(last);
    }
    if (last === undefined) throw new Error('send() needs an event');
    return last;
  }

  get state() {
    return this.snapshot.value;
  }

  effectsOf(type: string) {
    return this.steps.flatMap((s) => s.effects).filter((e) => e.type === type);
  }

  /** Registered two-party call: customer and agent live. */
  static connected(config: Partial<RecoveryConfig> = {}): Run {
    const run = new Run(config);
    run.send(
      registered(),
      joined(CUSTOMER, { label: 'customer' }),
      joined(AGENT_CALL, { label: 'worker' }),
    );
    return run;
  }
}

/** The agent did not accept the ping task in time (it runs from the task's creation). */
export const pingTimeoutEvent = {
  type: 'xstate.after.pingTimeout.recovery.recovering.pinging.offered',
} as const;
/** Creating the ping task took too long. */
export const pingCreateTimeoutEvent = {
  type: 'xstate.after.pingCreateTimeout.recovery.recovering.pinging.creating',
} as const;
export const redialTimeoutEvent = {
  type: 'xstate.after.redialTimeout.recovery.recovering.redialing',
} as const;
export const reconnectTimeoutEvent = {
  type: 'xstate.after.reconnectTimeout.recovery.recovering.reconnecting',
} as const;
