import type { RecoveryConfig, RecoverySnapshot, StepEvent, StepResult } from '@lifeline/machine';
import {
  persist,
  queuedByRecovery,
  redialingInto,
  restore,
  start,
  stateName,
  step,
} from '@lifeline/machine';
import type { CommitRequest, RecoveryStore, TimelineEntry } from '../store/types.ts';
import { SnapshotCache } from './snapshot-cache.ts';
import type { CachedRecovery } from './snapshot-cache.ts';
import { summarize } from './summary.ts';

/** Conferences whose restored snapshot an engine keeps (see SnapshotCache). */
export const DEFAULT_SNAPSHOT_CACHE = 5_000;

/** How one delivered event ended. */
type DispatchOutcome =
  | { kind: 'applied'; version: number; state: string }
  | { kind: 'unchanged'; version: number; state: string }
  | { kind: 'duplicate' }
  | { kind: 'unknown-conference' }
  | { kind: 'timer-gone' };

interface Dispatch {
  conferenceSid: string;
  event: StepEvent;
  /** Where it came from, for the timeline (conference-status, event-streams, api, timer, effect). */
  source: string;
  /** Delivery ids consumed with this event: a redelivery is recognised and changes nothing. */
  dedupeIds?: string[];
  /** A timer this event fires: removed in the same commit, and only one instance fires it. */
  firesTimer?: string;
  /** Create the conference's actor if it does not exist yet (agent registration). */
  create?: boolean;
  /**
   * Applied before `event`, in the same commit, only when this dispatch creates the actor:
   * what the server learns from seeing a conference for the first time.
   */
  firstSight?: StepEvent;
  /** Extra detail for the timeline (e.g. "refresh beacon"). */
  note?: string;
  index?: CommitRequest['index'];
}

interface EngineOptions {
  store: RecoveryStore;
  machineConfig: Partial<RecoveryConfig>;
  now?: () => number;
  /** Called after each successful commit (SSE, metrics, waking the effect runner). */
  onCommit?: (info: CommitInfo) => void;
  maxAttempts?: number;
  /** Restored snapshots kept between events (default DEFAULT_SNAPSHOT_CACHE; 0: none). */
  snapshotCache?: number;
}

export interface CommitInfo {
  conferenceSid: string;
  version: number;
  snapshot: unknown;
  state: string;
  final: boolean;
  effects: number;
  event: StepEvent;
}

export class ConflictError extends Error {
  constructor(conferenceSid: string, attempts: number) {
    super(`conference ${conferenceSid}: version conflict persisted after ${attempts} attempts`);
    this.name = 'ConflictError';
  }
}

function eventDetail(event: StepEvent): Record<string, unknown> {
  const { type: _type, ...rest } = event as { type: string } & Record<string, unknown>;
  // Task attributes can be large and may carry customer data: keep the timeline lean.
  if ('attributes' in rest) delete rest['attributes'];
  if ('taskAttributes' in rest) delete rest['taskAttributes'];
  return rest;
}

/** The worker a recovery concerns, who may still ask after it once it ended. */
function recoveryWorkers(snapshot: RecoverySnapshot): string[] {
  const workerSid = snapshot.context.recovery?.workerSid;
  return workerSid === undefined ? [] : [workerSid];
}

/** Two consecutive steps as one: the second's snapshot, everything both asked for. */
function merge(first: StepResult, second: StepResult): StepResult {
  return {
    snapshot: second.snapshot,
    effects: [...first.effects, ...second.effects],
    schedule: [...first.schedule, ...second.schedule],
    cancel: [...first.cancel, ...second.cancel],
    changed: first.changed || second.changed,
  };
}

/**
 * Runs the recovery statechart for one conference per call: load the snapshot, compute the
 * next one with the pure step(), then persist snapshot, timeline, effects and timers in one
 * compare-and-set. A lost race reloads and recomputes; nothing is written twice.
 */
export class RecoveryEngine {
  readonly #store: RecoveryStore;
  readonly #config: Partial<RecoveryConfig>;
  readonly #now: () => number;
  readonly #onCommit: (info: CommitInfo) => void;
  readonly #maxAttempts: number;
  readonly #cache: SnapshotCache;

  constructor(options: EngineOptions) {
    this.#store = options.store;
    this.#config = options.machineConfig;
    this.#now = options.now ?? Date.now;
    this.#onCommit = options.onCommit ?? (() => undefined);
    this.#maxAttempts = options.maxAttempts ?? 20;
    this.#cache = new SnapshotCache(options.snapshotCache ?? DEFAULT_SNAPSHOT_CACHE);
  }

  async dispatch(request: Dispatch): Promise<DispatchOutcome> {
    const sid = request.conferenceSid;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt += 1) {
      // The first attempt trusts what this instance last saw; the commit's compare-and-set
      // says whether it still holds, and every retry reads Redis.
      const known = (attempt === 1 ? this.#cache.get(sid) : undefined) ?? (await this.#load(sid));
      if (known === null && request.create !== true) return { kind: 'unknown-conference' };
      const outcome = await this.#attempt(request, known);
      if (outcome !== 'retry') return outcome;
      this.#cache.delete(sid);
    }
    throw new ConflictError(sid, this.#maxAttempts);
  }

  async #load(conferenceSid: string): Promise<CachedRecovery | null> {
    const stored = await this.#store.load(conferenceSid);
    if (stored === null) return null;
    return { version: stored.version, snapshot: restore(stored.snapshot) };
  }

  async #attempt(
    request: Dispatch,
    stored: CachedRecovery | null,
  ): Promise<DispatchOutcome | 'retry'> {
    let snapshot =
      stored === null
        ? start({ conferenceSid: request.conferenceSid, config: this.#config }).snapshot
        : stored.snapshot;
    const first =
      stored === null && request.firstSight !== undefined
        ? step(snapshot, request.firstSight)
        : null;
    if (first !== null) snapshot = first.snapshot;
    const result =
      first === null ? step(snapshot, request.event) : merge(first, step(snapshot, request.event));
    const now = this.#now();
    const state = stateName(result.snapshot);
    // A re-dial starting: the new conference's callbacks are to be forwarded here.
    const redialName = redialingInto(result.snapshot);
    const redialIndex =
      redialName === null || redialingInto(snapshot) === redialName
        ? request.index
        : { ...request.index, redialNames: [redialName] };
    // A call learned whose task a recovery queued: that recovery's customer is bridged here.
    const bridgedFrom = queuedByRecovery(request.event, request.conferenceSid);
    const index =
      bridgedFrom === null ? redialIndex : { ...redialIndex, bridgedFrom: [bridgedFrom] };
    const version = stored?.version ?? 0;

    if (!this.#writes(result, request) && stored !== null) {
      // Nothing to persist: record that it arrived, so the timeline shows ignored input too.
      // Its delivery id is not consumed: a redelivery may find the chart ready for it. Only
      // if the version is still the one the step saw: a newer one might not ignore it.
      const appended = await this.#store.appendTimeline(
        request.conferenceSid,
        [this.#eventEntry(request, now, state, 'ignored')],
        version,
      );
      if (!appended) return 'retry';
      this.#cache.set(request.conferenceSid, stored);
      return { kind: 'unchanged', version, state };
    }

    const final = result.snapshot.status === 'done';
    const summary = summarize(result.snapshot);
    // Most events leave the listing's summary as it was: then only its update time is written.
    const summaryJson = JSON.stringify(summary);
    const commit: CommitRequest = {
      conferenceSid: request.conferenceSid,
      expectedVersion: version,
      snapshot: persist(result.snapshot),
      final,
      timeline: [
        ...(first === null || request.firstSight === undefined
          ? []
          : [
              this.#eventEntry(
                { ...request, event: request.firstSight },
                now,
                stateName(first.snapshot),
                first.changed ? 'applied' : 'ignored',
              ),
            ]),
        this.#eventEntry(request, now, state, result.changed ? 'applied' : 'ignored'),
        ...result.effects.map((effect): TimelineEntry => ({
          at: now,
          kind: 'effect',
          name: effect.type,
          detail: { key: effect.params.key },
        })),
      ],
      effects: result.effects.map((effect) => ({
        key: effect.params.key,
        type: effect.type,
        params: effect.params,
      })),
      schedule: result.schedule.map((timer) => ({
        id: timer.id,
        event: timer.event,
        dueAt: now + timer.delayMs,
      })),
      cancel: [...result.cancel, ...(request.firesTimer === undefined ? [] : [request.firesTimer])],
      dedupeIds: request.dedupeIds ?? [],
      ...(request.firesTimer === undefined ? {} : { firesTimer: request.firesTimer }),
      ...(index === undefined ? {} : { index }),
      // Only a worker the finished recovery concerns still finds it (routes/api/recoveries.ts).
      ...(final ? { auditWorkerSids: recoveryWorkers(result.snapshot) } : {}),
      summary: stored?.summary === summaryJson ? 'unchanged' : summary,
    };
    const committed = await this.#store.commit(commit);
    if (!committed.ok) {
      if (committed.reason === 'conflict' || committed.reason === 'exists') return 'retry';
      return { kind: committed.reason };
    }
    this.#cache.set(request.conferenceSid, {
      version: committed.version,
      snapshot: result.snapshot,
      summary: summaryJson,
    });
    this.#onCommit({
      conferenceSid: request.conferenceSid,
      version: committed.version,
      snapshot: commit.snapshot,
      state,
      final,
      effects: result.effects.length,
      event: request.event,
    });
    return { kind: result.changed ? 'applied' : 'unchanged', version: committed.version, state };
  }

  #writes(result: StepResult, request: Dispatch): boolean {
    return (
      result.changed ||
      result.effects.length > 0 ||
      result.schedule.length > 0 ||
      result.cancel.length > 0 ||
      request.firesTimer !== undefined
    );
  }

  #eventEntry(request: Dispatch, now: number, state: string, outcome: string): TimelineEntry {
    return {
      at: now,
      kind: 'event',
      name: request.event.type,
      state,
      detail: {
        source: request.source,
        outcome,
        ...(request.note === undefined ? {} : { note: request.note }),
        ...eventDetail(request.event),
      },
    };
  }
}
