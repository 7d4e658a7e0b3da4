import type { ApiClient, Registration, TransferMode } from './api.ts';
import type { LifelineConfig } from './config.ts';
import type { CallLegs } from './conference.ts';
import { waitForCallLegs, withConferenceOptions } from './conference.ts';
import type { LifelineTaskKind } from './reservations.ts';
import { lifelineTaskKind, shouldAutoAccept } from './reservations.ts';
import type { TaskView, WorkerView } from './tasks.ts';
import { isLiveCall } from './tasks.ts';

/**
 * What an agent's browser does for Lifeline, one method per Flex action it listens to,
 * free of Flex: the plugin's adapter calls these from Flex listeners, and the simulator's
 * agents call them directly.
 */
export interface AgentDeps {
  config: LifelineConfig;
  api: ApiClient;
  worker: () => WorkerView;
  /**
   * The task as the agent's desktop knows it now (its conference fills in after accept).
   * Flex finds it by the reservation SID; other task lists may use the task SID.
   */
  readTask: (taskSid: string, reservationSid: string) => TaskView | null;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** How often to look at the task for both legs after accept (250 ms; the simulator's is faster). */
  legPollMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export type RegisterOutcome =
  | { kind: 'registered'; legs: CallLegs; version: number | null }
  | { kind: 'no-legs' }
  | { kind: 'failed'; error: unknown };

export interface Beacon {
  url: string;
  body: string;
}

export interface LifelineAgent {
  workerSid(): string;
  beforeAcceptTask(task: TaskView, payload: Record<string, unknown>): void;
  afterAcceptTask(task: TaskView): Promise<RegisterOutcome | null>;
  beforeHangupCall(task: TaskView): Promise<void>;
  beforeTransferTask(task: TaskView, mode: TransferMode): Promise<void>;
  reservationCreated(task: TaskView): LifelineTaskKind | null;
  pagehide(tasks: TaskView[]): Beacon[];
}

/**
 * An unregistered call is an unprotected call, and a server restart or a 429 burst can take
 * seconds: keep asking for about 20 s (0.5, 1, 2, then every 4 s).
 */
const REGISTER_ATTEMPTS = 8;
const REGISTER_MAX_DELAY_MS = 4000;

export function createLifelineAgent(deps: AgentDeps): LifelineAgent {
  const { config, api, worker, readTask } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = deps.log ?? (() => undefined);

  async function register(conferenceSid: string, body: Registration) {
    let lastError: unknown;
    for (let attempt = 1; attempt <= REGISTER_ATTEMPTS; attempt += 1) {
      try {
        return await api.registerAgent(conferenceSid, body);
      } catch (error) {
        lastError = error;
        // A 4xx (but 429) will not get better by asking again; network errors, 429 and 5xx might.
        const status = (error as { status?: unknown }).status;
        if (typeof status === 'number' && status < 500 && status !== 429) break;
        if (attempt < REGISTER_ATTEMPTS) {
          await sleep(Math.min(REGISTER_MAX_DELAY_MS, 500 * 2 ** (attempt - 1)));
        }
      }
    }
    throw lastError;
  }

  /**
   * Tells the server the Recovery Ping was accepted: the recovery moves on at once rather than
   * when Event Streams delivers the same news (its batches lag by up to seconds). Event
   * Streams still reports it, so a failure here only costs that wait.
   */
  async function reportPing(task: TaskView, workerSid: string) {
    const conferenceSid = task.attributes['conferenceSid'];
    if (typeof conferenceSid !== 'string') return;
    try {
      await api.pingAccepted(conferenceSid, workerSid, {
        taskSid: task.taskSid,
        reservationSid: task.reservationSid,
      });
    } catch (error) {
      log('Lifeline: reporting the accepted ping failed; Event Streams will', error);
    }
  }

  return {
    workerSid: () => worker().workerSid,

    beforeAcceptTask(task, payload) {
      if (task.isCall) withConferenceOptions(payload, config.serverUrl);
    },

    async afterAcceptTask(task) {
      const me = worker();
      if (!task.isCall) {
        if (lifelineTaskKind(task, me.workerSid) === 'ping') await reportPing(task, me.workerSid);
        return null;
      }
      const waitOptions = {
        timeoutMs: config.participantWaitMs,
        sleep,
        ...(deps.now ? { now: deps.now } : {}),
        ...(deps.legPollMs === undefined ? {} : { intervalMs: deps.legPollMs }),
      };
      const legs = await waitForCallLegs(
        () => readTask(task.taskSid, task.reservationSid),
        me.workerSid,
        waitOptions,
      );
      if (legs === null) {
        log(
          `Lifeline: no conference legs for ${task.taskSid} within ${config.participantWaitMs} ms`,
        );
        return { kind: 'no-legs' };
      }
      const latest = readTask(task.taskSid, task.reservationSid) ?? task;
      try {
        // Registering also makes the server set endConferenceOnExit=false on both legs,
        // undoing the true that Flex sets on a two-party call.
        const { version } = await register(legs.conferenceSid, {
          taskSid: latest.taskSid,
          workflowSid: latest.workflowSid,
          taskAttributes: latest.attributes,
          customerCallSid: legs.customerCallSid,
          workerSid: me.workerSid,
          reservationSid: latest.reservationSid,
          workerCallSid: legs.workerCallSid,
          workerName: me.workerName,
        });
        return { kind: 'registered', legs, version };
      } catch (error) {
        log(`Lifeline: registering ${task.taskSid} failed`, error);
        return { kind: 'failed', error };
      }
    },

    async beforeHangupCall(task) {
      const conference = task.conference;
      if (!task.isCall || conference === null || conference.conferenceSid === '') return;
      try {
        await api.hangup(
          conference.conferenceSid,
          worker().workerSid,
          conference.liveParticipantCount,
        );
      } catch (error) {
        // Never keep an agent from hanging up: at worst the server treats it as a drop.
        log('Lifeline: recording the hangup failed', error);
      }
    },

    async beforeTransferTask(task, mode) {
      const conference = task.conference;
      if (mode !== 'COLD' || !task.isCall || conference === null) return;
      try {
        await api.transfer(conference.conferenceSid, worker().workerSid, mode);
      } catch (error) {
        log('Lifeline: recording the transfer failed', error);
      }
    },

    reservationCreated(task) {
      return shouldAutoAccept(task, worker().workerSid, config);
    },

    pagehide(tasks) {
      const me = worker().workerSid;
      return tasks
        .filter((task) => isLiveCall(task, me))
        .map((task) => api.unloadBeacon(task.conference?.conferenceSid ?? '', me));
    },
  };
}
