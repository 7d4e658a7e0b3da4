import type { TaskKind, TaskQueueEntered } from '@lifeline/machine';
import { isJsonObject, readLifelineTag } from '@lifeline/machine';
import type { Twilio } from 'twilio';

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
  const expression = `lifeline.recoveryId == "${lookup.recoveryId}" AND lifeline.kind == "${lookup.kind}"`;
  for (const waitMs of lookup.lookupsMs ?? QUEUED_TASK_LOOKUPS_MS) {
    await pause(waitMs);
    let found;
    try {
      [found] = await lookup.client.taskrouter.v1.workspaces(lookup.workspaceSid).tasks.list({
        evaluateTaskAttributes: expression,
        assignmentStatus: ['pending'],
        limit: 1,
      });
    } catch {
      return null;
    }
    if (found === undefined || !found.taskQueueSid) continue;
    let attributes: unknown;
    try {
      attributes = JSON.parse(found.attributes);
    } catch {
      return null;
    }
    if (!isJsonObject(attributes)) return null;
    const lifeline = readLifelineTag(attributes);
    if (lifeline === null) return null;
    return {
      type: 'task.queueEntered',
      at: lookup.now(),
      taskSid: found.sid,
      attributes,
      lifeline,
      taskQueueSid: found.taskQueueSid,
    };
  }
  return null;
}
