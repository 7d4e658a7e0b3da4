/**
 * The Redis-backed store of recoveries: the contract between the webhook handlers, the
 * effect runner, the timer loop and the Redis implementation (redis-store.ts + lua/*.lua).
 *
 * Layout: every conference belongs to one of SHARD_COUNT shards (derived from its SID), and
 * all its keys carry the shard's hash tag, together with the shard's outbox and timer queues.
 * So one Lua script can write a snapshot, its timeline, its effects and its timers atomically,
 * and Redis Cluster still spreads the shards over the nodes.
 */

export const SHARD_COUNT = 16;

/** One line of a conference's timeline: each event in and each effect out, with times. */
export interface TimelineEntry {
  at: number;
  kind: 'event' | 'effect' | 'effect-result' | 'note';
  /** Event type, effect type or note name. */
  name: string;
  /** State after an event; absent for other kinds. */
  state?: string;
  detail?: unknown;
}

/** An effect waiting in the outbox. `key` is the effect's idempotency key (from the machine). */
export interface OutboxEffect {
  key: string;
  conferenceSid: string;
  type: string;
  params: unknown;
  /** How many times a runner has claimed it before (0 on the first claim). */
  attempts: number;
  /** When this claim's lease ends (ms); renewLease extends it while the effect runs. */
  leaseUntil: number;
}

/** What startEffect found before an attempt's first request. */
export interface EffectStart {
  /** It ran already (a lapsed lease's second runner): nothing to send. */
  done: boolean;
  /** An earlier attempt's request may have reached Twilio: look for what it did first. */
  mayHaveRunBefore: boolean;
}

export interface TimerEntry {
  conferenceSid: string;
  id: string;
  /** The machine event to deliver (an XState after-event). */
  event: { type: string };
  dueAt: number;
}

export interface StoredRecovery {
  conferenceSid: string;
  version: number;
  /** The persisted snapshot (JSON-serialisable, see @lifeline/machine persist()). */
  snapshot: unknown;
  final: boolean;
}

export interface CommitRequest {
  conferenceSid: string;
  /** The version the caller loaded; 0 creates the conference (fails if it exists). */
  expectedVersion: number;
  snapshot: unknown;
  /** The machine reached a final state: every key of the conference expires after finalTtlS. */
  final: boolean;
  timeline: TimelineEntry[];
  /** Enqueued due now (in order), each key at most once: not while queued, nor once completed. */
  effects: { key: string; type: string; params: unknown }[];
  /** Applied after `cancel`, so re-entering a state (cancel + schedule of one id) keeps the timer. */
  schedule: { id: string; event: { type: string }; dueAt: number }[];
  cancel: string[];
  /**
   * Delivery ids this commit consumes (CloudEvent id, conference callback identity). A commit
   * whose id was already consumed fails with 'duplicate' and writes nothing.
   */
  dedupeIds: string[];
  /** Required timer: the commit fires this timer, so it fails with 'timer-gone' if it was removed. */
  firesTimer?: string;
  /** Indexes to (re)point at this conference, for routing and the plugin's lookups. */
  index?: {
    workerSids?: string[];
    taskSids?: string[];
    /** Names of new conferences a re-dial waits for (`redial:<name>`, see redial-log.ts). */
    redialNames?: string[];
    /**
     * Conferences whose recovery queued the customer this conference's task was made for
     * (the task's Lifeline tag): `bridge:<sid>` then names the newest conference a
     * recovery's customer was bridged into, which its Enqueue's action callback asks about.
     */
    bridgedFrom?: string[];
  };
  /**
   * A final commit: the workers whose lookup (conferenceForWorker) still answers with this
   * conference through its audit life, the ones its recovery concerns (a reloaded plugin
   * reads how that recovery ended). Every other task, worker and re-dial index still pointing
   * here is deleted by the final commit: only a live conference is looked up through them.
   * Bridge indexes are kept (an Enqueue's action callback asks after a bridged conference
   * once it ended).
   */
  auditWorkerSids?: string[];
  /**
   * What listings show of the conference after this commit (see listConferences);
   * 'unchanged' when the caller knows the stored one is still right (only the last-update
   * time moves, written within a second: listing.ts touch); absent: the commit does not
   * touch the listing.
   */
  summary?: ConferenceSummary | 'unchanged';
}

/** A conference as the inspector's list shows it, kept beside the snapshot by each commit. */
export interface ConferenceSummary {
  state: string;
  final: boolean;
  /** 'recovered', an end reason, or null while undecided. */
  outcome: string | null;
  workerSid: string | null;
  taskSid: string | null;
  /** When the current recovery began (the drop or refresh), null when none did. */
  recoveryStartedAt: number | null;
}

export interface ListedConference extends ConferenceSummary {
  conferenceSid: string;
  /** When the store first and last committed it. */
  createdAt: number;
  updatedAt: number;
}

export interface ConferenceQuery {
  state?: string;
  outcome?: string;
  workerSid?: string;
  /** true: finished ones only; false: live ones only. */
  final?: boolean;
  offset: number;
  limit: number;
}

export interface ConferencePage {
  /** Conferences matching the filters, across all pages. */
  total: number;
  /** Most recently updated first. */
  items: ListedConference[];
}

/** A change published to every instance; `origin` names the publishing instance. */
export interface ChangeMessage {
  origin: string;
  conferenceSid: string;
  /** The committed version, or 0 for a change that is not a commit (an effect result). */
  version: number;
}

export type CommitResult =
  | { ok: true; version: number }
  | { ok: false; reason: 'conflict' | 'duplicate' | 'timer-gone' | 'exists'; version: number };

export interface RecoveryStore {
  load(conferenceSid: string): Promise<StoredRecovery | null>;
  commit(request: CommitRequest): Promise<CommitResult>;
  timeline(conferenceSid: string, limit?: number): Promise<TimelineEntry[]>;
  /**
   * Appends outside a commit (effect results that change no state, notes, ignored events).
   * With `expectedVersion`, only while the conference is at that version: false otherwise.
   */
  appendTimeline(
    conferenceSid: string,
    entries: TimelineEntry[],
    expectedVersion?: number,
  ): Promise<boolean>;

  /**
   * Claims up to `limit` effects due by `now` across all shards, or only the shards in `only`
   * (shardOf): each claimed effect is leased until now + leaseMs (another claim skips it until
   * then) and its attempts counter is returned.
   */
  claimEffects(
    now: number,
    limit: number,
    leaseMs: number,
    only?: readonly number[],
  ): Promise<OutboxEffect[]>;
  /**
   * Extends the lease of an effect this runner claimed, from `heldUntil` (its current lease
   * end) to `until`. false: the lease is no longer this runner's (completed, rescheduled, or
   * claimed by another instance after it lapsed).
   */
  renewLease(
    conferenceSid: string,
    key: string,
    heldUntil: number,
    until: number,
  ): Promise<boolean>;
  /** The effect ran (or is definitively pointless): removed; its key is remembered as done. */
  completeEffect(conferenceSid: string, key: string, entry: TimelineEntry): Promise<void>;
  /**
   * Try again at dueAt (backoff); the attempt counter was already incremented by the claim.
   * `mayHaveApplied`: the failed attempt's request may have reached Twilio (it timed out): a
   * mark of startEffect stays, so the next attempt knows; otherwise the mark is cleared.
   */
  retryEffect(
    conferenceSid: string,
    key: string,
    dueAt: number,
    entry: TimelineEntry,
    mayHaveApplied?: boolean,
  ): Promise<void>;
  /**
   * Before an attempt's first request: whether the effect ran already, and, with `mark` (an
   * effect that cannot simply be sent again: effects/unverifiable.ts), marks that its
   * request is about to go out, unless done. `mayHaveRunBefore`: an earlier attempt's request
   * may already have reached Twilio (its mark is still there: it timed out, or its instance
   * died or lost the lease before recording an answer). completeEffect clears the mark.
   */
  startEffect(conferenceSid: string, key: string, options: { mark: boolean }): Promise<EffectStart>;
  /** Effect keys completed for a conference (idempotency across retries and instances). */
  isEffectDone(conferenceSid: string, key: string): Promise<boolean>;

  /** Timers due by now, across shards, without removing them (a commit with firesTimer does). */
  dueTimers(now: number, limit: number): Promise<TimerEntry[]>;
  /**
   * Removes a timer outside a commit: for a due timer whose conference is gone (load() gives
   * null), which no commit can remove and which dueTimers would return forever.
   */
  dropTimer(conferenceSid: string, id: string): Promise<void>;
  /** Earliest due time of any timer or effect, for the loops' sleep; null when idle. */
  nextDueAt(): Promise<number | null>;

  conferenceForTask(taskSid: string): Promise<string | null>;
  /** The newest conference a customer queued by this conference's recovery was bridged into. */
  conferenceBridgedFrom(conferenceSid: string): Promise<string | null>;
  /** Stored conferences, most recently updated first, filtered and paged (the inspector). */
  listConferences(query: ConferenceQuery): Promise<ConferencePage>;
  conferenceForWorker(workerSid: string): Promise<string | null>;
  /**
   * Logs a participant callback of the conference named `conferenceName` (opaque JSON), then
   * answers the conference whose re-dial waits for that name, if any (redial-log.ts).
   */
  noteRedialCallback(conferenceName: string, entry: string): Promise<string | null>;
  /** The callbacks logged for a conference name, oldest first. */
  redialCallbacks(conferenceName: string): Promise<string[]>;

  /**
   * Tells every instance that a conference changed (a commit, an effect result): the changes
   * of one turn of the event loop in one PUBLISH, not awaited by the caller's request. Lost
   * messages only delay a stream, never a recovery.
   */
  publishChange(change: ChangeMessage): void;
  /**
   * One subscriber connection for this instance: `onChange` for each published change,
   * `onResync` after a reconnection (changes may have been missed meanwhile). Returns a
   * function that closes the subscription (the connection is made in the background).
   */
  watchChanges(
    onChange: (change: ChangeMessage) => void,
    onResync: () => void,
  ): () => Promise<void>;

  /** Liveness for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
