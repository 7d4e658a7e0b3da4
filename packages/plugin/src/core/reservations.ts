import type { LifelineConfig } from './config.ts';
import type { TaskView } from './tasks.ts';

/**
 * Tasks Lifeline creates for a recovery, recognised by the attributes existing Flex
 * TaskRouter set-ups already filter on (the proof of concept's Recovery Ping workflow and
 * known-worker filters).
 */
export const RECOVERY_PING = 'Recovery Ping';

export type LifelineTaskKind = 'ping' | 'reconnect';

export function lifelineTaskKind(task: TaskView, workerSid: string): LifelineTaskKind | null {
  const a = task.attributes;
  if (a['name'] === RECOVERY_PING && a['disconnectedWorkerSid'] === workerSid) return 'ping';
  if (a['isReconnect'] === true && a['targetWorkerSid'] === workerSid) return 'reconnect';
  return null;
}

/** Accept this reservation for the agent? Only pending ones, and only the kinds switched on. */
export function shouldAutoAccept(
  task: TaskView,
  workerSid: string,
  config: Pick<LifelineConfig, 'autoAcceptPing' | 'autoAcceptReconnect'>,
): LifelineTaskKind | null {
  if (task.status !== 'pending') return null;
  const kind = lifelineTaskKind(task, workerSid);
  if (kind === 'ping' && config.autoAcceptPing) return kind;
  if (kind === 'reconnect' && config.autoAcceptReconnect) return kind;
  return null;
}

export interface PendingLifelineTask {
  kind: LifelineTaskKind;
  reservationSid: string;
}

/**
 * A recovery task still waiting for this agent. The blocking modal covers Flex's task list,
 * so when auto-accept is off (or failed) the modal offers to accept it.
 */
export function pendingLifelineTask(
  tasks: TaskView[],
  workerSid: string,
): PendingLifelineTask | null {
  for (const task of tasks) {
    const kind = task.status === 'pending' ? lifelineTaskKind(task, workerSid) : null;
    if (kind !== null) return { kind, reservationSid: task.reservationSid };
  }
  return null;
}
