import type { JsonObject } from './json.ts';

/** Bumped whenever the persisted shape of the context changes; see snapshot.ts. */
export const SCHEMA_VERSION = 4;

/** Tunables, fixed when a conference's actor is created (the server reads them from env). */
export interface RecoveryConfig {
  /** TaskRouter TTL of the Recovery Ping task, in seconds (Timeout on create). */
  pingTtlS: number;
  /**
   * Our own bound on pinging, from the task's creation (as its TTL runs), in case
   * TaskRouter's cancel is lost: TTL plus a grace.
   */
  pingTimeoutMs: number;
  /** How long creating the ping task may take (REST timeouts and retries) before escalating. */
  pingCreateTimeoutMs: number;
  pingPriority: number;
  /** How long the same agent has to accept the reconnect task before anyone may take it. */
  reconnectTimeoutMs: number;
  /** Priority of the reconnect and the escalation task ("raised priority"). */
  reconnectPriority: number;
  /**
   * How long a re-dial waits, from the acceptance, for the customer and then every moved
   * party to be seen in the new conference; whoever has not arrived by then is reported failed.
   */
  redialTimeoutMs: number;
}

export const defaultConfig: RecoveryConfig = {
  pingTtlS: 15,
  pingTimeoutMs: 20_000,
  pingCreateTimeoutMs: 30_000,
  pingPriority: 1000,
  reconnectTimeoutMs: 60_000,
  reconnectPriority: 1000,
  redialTimeoutMs: 30_000,
};

/** Why an agent left without it being a drop. */
export type GracefulExit = 'hangup' | 'cold-transfer';

export interface Agent {
  workerSid: string;
  workerName: string;
  callSid: string;
  reservationSid: string;
  taskSid: string;
  workflowSid: string;
  present: boolean;
  exit: GracefulExit | null;
}

/** One call in the conference, as the status callbacks describe it. */
export interface Participant {
  callSid: string;
  label: string | null;
  endConferenceOnExit: boolean;
  hold: boolean;
  /** Muted, and coaching (heard by the agent only), as the last callback said. */
  muted?: boolean;
  coaching?: boolean;
  present: boolean;
  /** Highest SequenceNumber applied for this call: older or equal ones are stale. */
  seq: number;
}

/** left-out: a coaching supervisor, never moved (see startRecovery). */
export type PartyStatus = 'waiting' | 'moving' | 'joined' | 'failed' | 'gone' | 'left-out';

/** A third party (not the customer, not an agent) to bring into the new conference. */
export interface Party {
  callSid: string;
  label: string | null;
  /** The value it had before the recovery set it false, restored in the new conference. */
  endConferenceOnExit: boolean;
  /** Muted before the recovery: joins the new conference muted too. */
  muted?: boolean;
  /** Held in the old conference when it was moved: held again once it joins the new one. */
  hold?: boolean;
  status: PartyStatus;
  error: string | null;
}

export type CustomerTaskKind = 'reconnect' | 'escalation';

export interface Recovery {
  /** `<conferenceSid>:<n>`: tags every task of this recovery so stale ones are told apart. */
  id: string;
  workerSid: string;
  workerName: string;
  callSid: string;
  reservationSid: string;
  taskSid: string;
  workflowSid: string;
  cause: 'refresh' | 'drop';
  disconnectedAt: number;
  pingTaskSid: string | null;
  /** Where the customer is: still in this conference, or waiting in a TaskRouter queue. */
  customerIn: 'conference' | 'queue';
  customerTaskKind: CustomerTaskKind | null;
  customerTaskSid: string | null;
  reservationCompletionRequested: boolean;
  /** Times the customer was queued again after an Enqueue ended unbridged (TTL, timeout). */
  requeues: number;
  /** The new conference (named by the accepted task's SID, as Flex names conferences). */
  newConferenceName: string | null;
  acceptedByWorkerSid: string | null;
  parties: Record<string, Party>;
  /** The new conference, learnt from its first forwarded callback (redial.* events). */
  newConferenceSid: string | null;
  /** The customer was seen joining the new conference: only then are the parties moved. */
  customerInNewConference: boolean;
  /** Highest SequenceNumber of the new conference applied per call: older ones are stale. */
  newConferenceSeq: Record<string, number>;
}

export type EndReason =
  | 'graceful'
  | 'customer-hung-up'
  | 'abandoned'
  | 'conference-ended'
  | 'handled-by-another-agent'
  | 'not-a-task';

export type Outcome =
  | { kind: 'recovered'; at: number; workerSid: string }
  | { kind: 'ended'; at: number; reason: EndReason };

/**
 * How the server learnt who is on the call: from the conference's task (lookup), which
 * needs no plugin, or only from the plugin's registration (none).
 */
export type LookupStatus = 'none' | 'pending' | 'found' | 'failed';

export interface RecoveryContext {
  schemaVersion: typeof SCHEMA_VERSION;
  conferenceSid: string;
  lookup: LookupStatus;
  config: RecoveryConfig;
  customerCallSid: string | null;
  taskAttributes: JsonObject;
  agents: Record<string, Agent>;
  participants: Record<string, Participant>;
  recovery: Recovery | null;
  recoveries: number;
  outcome: Outcome | null;
}

export interface RecoveryInput {
  conferenceSid: string;
  config?: Partial<RecoveryConfig>;
}
