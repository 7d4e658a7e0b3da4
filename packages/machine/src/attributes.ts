import type { JsonObject, JsonValue } from './json.ts';
import { isJsonObject } from './json.ts';
import type { CustomerTaskKind, Recovery, RecoveryContext } from './context.ts';
import type { LifelineTag } from './events.ts';

/**
 * Task attributes Lifeline writes. The names `disconnectedWorkerSid`, `targetWorkerSid`,
 * `isReconnect` and `conversations.followed_by` are the ones existing Flex TaskRouter set-ups
 * already filter on (Recovery Ping workflow, known-worker filters, Insights): keep them.
 */
export const FOLLOWED_BY = 'Reconnect Agent';

function tag(recovery: Recovery, conferenceSid: string, kind: LifelineTag['kind']): JsonObject {
  return { lifeline: { conferenceSid, recoveryId: recovery.id, kind } };
}

export function originalTaskTag(recovery: Recovery): JsonObject {
  return {
    disconnectedTime: new Date(recovery.disconnectedAt).toISOString(),
    conversations: { followed_by: FOLLOWED_BY },
  };
}

export function pingTaskAttributes(context: RecoveryContext, recovery: Recovery): JsonObject {
  return {
    name: 'Recovery Ping',
    disconnectedWorkerSid: recovery.workerSid,
    disconnectedWorkerName: recovery.workerName,
    conferenceSid: context.conferenceSid,
    originalTaskSid: recovery.taskSid,
    customerCallSid: context.customerCallSid,
    ...tag(recovery, context.conferenceSid, 'ping'),
  };
}

/** Insights conversation metadata, carried over to the task that continues the conversation. */
function carriedConversations(context: RecoveryContext, recovery: Recovery): JsonObject {
  const original = context.taskAttributes['conversations'];
  const carried: JsonObject = isJsonObject(original) ? { ...original } : {};
  // followed_by describes the original task only.
  delete carried['followed_by'];
  carried['conversation_id'] = carried['conversation_id'] ?? recovery.taskSid;
  carried['preceded_by'] = 'Agent Disconnect';
  return carried;
}

/**
 * Who dropped and when, with the old call's conference, reservation and task: what the
 * plugin shows the agent who takes the reconnect or escalation task. One object, this shape.
 */
export function disconnectionOf(context: RecoveryContext, recovery: Recovery): JsonObject {
  return {
    workerSid: recovery.workerSid,
    workerName: recovery.workerName,
    at: new Date(recovery.disconnectedAt).toISOString(),
    conferenceSid: context.conferenceSid,
    reservationSid: recovery.reservationSid,
    taskSid: recovery.taskSid,
  };
}

function customerTaskBase(context: RecoveryContext, recovery: Recovery): JsonObject {
  const base: JsonObject = { ...context.taskAttributes };
  // These belong to tasks of earlier hops (a recovered call that drops again).
  delete base['targetWorkerSid'];
  delete base['disconnectedWorkerSid'];
  delete base['lifeline'];
  // Flex's record of the old call: a task that keeps it describes (and in Flex joins) the
  // old conference. The new call's conference is Flex's to write, as the proof of concept left it.
  delete base['conference'];
  return {
    ...base,
    conversations: carriedConversations(context, recovery),
    originalTaskSid: recovery.taskSid,
    disconnection: disconnectionOf(context, recovery),
  };
}

export function customerTaskAttributes(
  context: RecoveryContext,
  recovery: Recovery,
  kind: CustomerTaskKind,
): JsonObject {
  return {
    ...customerTaskBase(context, recovery),
    isReconnect: true,
    // A reconnect waits for the same agent; an escalation lets anyone take it.
    ...(kind === 'reconnect' ? { targetWorkerSid: recovery.workerSid } : { escalated: true }),
    ...tag(recovery, context.conferenceSid, kind),
  };
}

/** Reads the tag back from a task's attributes; null when the task is not Lifeline's. */
export function readLifelineTag(attributes: JsonObject): LifelineTag | null {
  const raw = attributes['lifeline'];
  if (!isJsonObject(raw)) return null;
  const { conferenceSid, recoveryId, kind } = raw;
  if (typeof conferenceSid !== 'string' || typeof recoveryId !== 'string') return null;
  if (kind !== 'ping' && kind !== 'reconnect' && kind !== 'escalation') return null;
  return { conferenceSid, recoveryId, kind };
}

/**
 * Merges a patch into task attributes: nested objects merge, everything else replaces,
 * and a null in the patch removes the key (TaskRouter filters treat absent and null alike).
 */
export function mergeAttributes(target: JsonObject, patch: JsonObject): JsonObject {
  const removed = new Set(Object.keys(patch).filter((key) => patch[key] === null));
  const out: JsonObject = Object.fromEntries(
    Object.entries(target).filter(([key]) => !removed.has(key)),
  );
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) continue;
    const current: JsonValue | undefined = out[key];
    out[key] =
      isJsonObject(value) && isJsonObject(current) ? mergeAttributes(current, value) : value;
  }
  return out;
}
