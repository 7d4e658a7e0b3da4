import type { TaskKind, TaskQueueEntered } from '@lifeline/machine';
import type { Twilio } from 'twilio';
import { firstRecoveryTask, taggedAttributes } from '../twilio/task-assignment.ts';

/**
 * When to look, after <Enqueue> was accepted: at once, and once more a little later. Twilio
 * runs the new TwiML (and TaskRouter creates the task) shortly after the call update's
 * answer, not always before it.
 */
export const QUEUED_TASK_LOOKUPS_MS: readonly number[] = [0, 400];

export interface QueuedTaskLookup {
  client: Twilio;
  workspaceSid: string;
  recoveryId: string;
  kind: TaskKind;
  now: () => number;
  /** Waits before each look (QUEUED_TASK_LOOKUPS_MS). */
  lookupsMs?: readonly number[];
}

const pause = (ms: number) =>
  ms <= 0 ? Promise.resolve() : new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The customer's new task in its TaskQueue, as TaskRouter shows it, reported as the
 * `task.queueEntered` Event Streams would deliver. The recovery waits for that entry before it
 * completes the agent's wrapping reservation (freeing the agent then could hand it someone
 * else's call first), and Event Streams delivers it only after its batch delay: in the mass
 * bench up to 3 s, the longest wait of the slowest recoveries. Best effort: nothing found, or
 * TaskRouter not answering, leaves it to Event Streams as before, whose later report of the
 * same entry changes nothing.
 */
export async function lookUpQueuedTask(lookup: QueuedTaskLookup): Promise<TaskQueueEntered | null> {
  for (const waitMs of lookup.lookupsMs ?? QUEUED_TASK_LOOKUPS_MS) {
    await pause(waitMs);
    const { client, workspaceSid, recoveryId, kind } = lookup;
    const found = await firstRecoveryTask(client, workspaceSid, recoveryId, kind, [
      'pending',
    ]).catch(() => undefined);
    if (found === undefined) return null;
    if (found === null || !found.taskQueueSid) continue;
    const tagged = taggedAttributes(found.attributes);
    if (tagged === null) return null;
    return {
      type: 'task.queueEntered',
      at: lookup.now(),
      taskSid: found.sid,
      ...tagged,
      taskQueueSid: found.taskQueueSid,
    };
  }
  return null;
}
