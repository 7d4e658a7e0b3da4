import { createActor } from 'xstate';
import type { ApiClient, RecoveryReport } from './api.ts';
import type { MirrorActor, RecoveryView } from './mirror.ts';
import { recoveryMirror, viewOf } from './mirror.ts';
import type { OpenStream } from './stream.ts';
import type { RecoverySync } from './sync.ts';
import { startRecoverySync } from './sync.ts';

/**
 * Which recovery this agent is in, if any: asks the server (on load and on each new
 * reservation), keeps the mirror actor of that conference in sync, and decides when the
 * modal goes away. The modal and the wrap-up/complete guards read it.
 */
export interface RecoveryControllerDeps {
  api: ApiClient;
  workerSid: () => string;
  openStream: OpenStream;
  pollIntervalMs: number;
  log?: (message: string, error?: unknown) => void;
}

export interface RecoverySession {
  conferenceSid: string;
  actor: MirrorActor;
}

export interface RecoveryController {
  /**
   * Asks the server whether this worker is in a recovery, and opens or updates the session.
   * 'failed': the server could not be asked (network, 5xx, 429), worth asking again.
   */
  check(): Promise<CheckOutcome>;
  current(): RecoverySession | null;
  view(): RecoveryView | null;
  subscribe(listener: () => void): () => void;
  /** True while the modal's copy says blocking and the task is the recovery's original task (only that one). */
  blocks(taskSid: string): boolean;
  /** Closes a modal that is not blocking (the agent read it). */
  dismiss(): void;
  stop(): void;
}

export type CheckOutcome = 'recovery' | 'none' | 'failed';

interface LiveSession extends RecoverySession {
  sync: RecoverySync | null;
  autoClose: ReturnType<typeof setTimeout> | null;
  unsubscribe: () => void;
}

export function createRecoveryController(deps: RecoveryControllerDeps): RecoveryController {
  const log = deps.log ?? (() => undefined);
  const listeners = new Set<() => void>();
  /**
   * The version each conference's modal was closed at: a report is shown again only when it
   * is newer (the same finished recovery is not shown twice; a later change, or a new drop on
   * the same conference, is).
   */
  const closedAt = new Map<string, number>();
  let session: LiveSession | null = null;
  let checking: Promise<CheckOutcome> | null = null;

  const notify = () => listeners.forEach((listener) => listener());
  const currentView = () => (session === null ? null : viewOf(session.actor.getSnapshot().context));

  function close(target: LiveSession) {
    if (session !== target) return;
    target.sync?.stop();
    if (target.autoClose !== null) clearTimeout(target.autoClose);
    target.unsubscribe();
    closedAt.set(target.conferenceSid, target.actor.getSnapshot().context.version);
    target.actor.stop();
    session = null;
    notify();
  }

  function onChange(target: LiveSession) {
    const view = viewOf(target.actor.getSnapshot().context);
    if (view === null) return;
    if (view.final) {
      // Nothing changes after a final state: no need to keep the stream open.
      target.sync?.stop();
      target.sync = null;
    }
    if (view.modal === null) {
      close(target);
      return;
    }
    if (view.modal.autoCloseMs !== null && target.autoClose === null) {
      target.autoClose = setTimeout(() => close(target), view.modal.autoCloseMs);
    }
    notify();
  }

  function open(report: RecoveryReport) {
    const actor = createActor(recoveryMirror, { input: { conferenceSid: report.conferenceSid } });
    const live: LiveSession = {
      conferenceSid: report.conferenceSid,
      actor,
      sync: null,
      autoClose: null,
      unsubscribe: () => undefined,
    };
    session = live;
    const subscription = actor.subscribe(() => onChange(live));
    live.unsubscribe = () => subscription.unsubscribe();
    actor.start();
    feed(live, report);
    if (session !== live || viewOf(actor.getSnapshot().context)?.final === true) return;
    live.sync = startRecoverySync({
      api: deps.api,
      conferenceSid: report.conferenceSid,
      workerSid: deps.workerSid(),
      openStream: deps.openStream,
      pollIntervalMs: deps.pollIntervalMs,
      onReport: (next) => feed(live, next),
      onGone: () => close(live),
      log,
    });
  }

  function feed(target: LiveSession, report: RecoveryReport) {
    if (session !== target) return;
    target.actor.send({
      type: 'server.snapshot',
      version: report.version,
      snapshot: report.snapshot,
    });
  }

  async function runCheck(): Promise<CheckOutcome> {
    let report: RecoveryReport | null;
    try {
      report = await deps.api.getRecovery(deps.workerSid());
    } catch (error) {
      log('Lifeline: asking for a recovery failed', error);
      return 'failed';
    }
    if (report === null) return 'none';
    if (session?.conferenceSid === report.conferenceSid) {
      feed(session, report);
      return 'recovery';
    }
    if (report.version <= (closedAt.get(report.conferenceSid) ?? -1)) return 'none';
    if (session !== null) close(session);
    open(report);
    return 'recovery';
  }

  return {
    check() {
      // Reservations arrive in bursts (ping, then reconnect): one question at a time.
      checking ??= runCheck().finally(() => {
        checking = null;
      });
      return checking;
    },
    current: () => session,
    view: currentView,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    blocks(taskSid) {
      // Only the recovering task: the agent's other tasks go on as usual.
      const view = currentView();
      return view?.modal?.blocking === true && view.taskSid === taskSid;
    },
    dismiss() {
      if (session === null || currentView()?.modal?.blocking === true) return;
      close(session);
    },
    stop() {
      if (session !== null) close(session);
      listeners.clear();
    },
  };
}
