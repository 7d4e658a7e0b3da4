import { KeyLayout, SHARD_COUNT, splitMember } from '@lifeline/server';
import type { StackRedis } from './redis-target.ts';
import { withRedis } from './redis-target.ts';
import type { Stack } from './stack.ts';

/** A Lifeline task that is still open when it should not be. */
export interface OpenTask {
  taskSid: string;
  kind: string;
  assignmentStatus: string;
}

function lifelineKind(attributes: string): { kind: string; callSid: string | null } | null {
  const parsed = JSON.parse(attributes) as {
    lifeline?: { kind?: unknown };
    call_sid?: unknown;
  };
  if (typeof parsed.lifeline !== 'object' || parsed.lifeline === null) return null;
  return {
    kind: typeof parsed.lifeline.kind === 'string' ? parsed.lifeline.kind : 'unknown',
    callSid: typeof parsed.call_sid === 'string' ? parsed.call_sid : null,
  };
}

/**
 * Lifeline's own tasks (attributes with the `lifeline` tag) left pending, reserved or assigned
 * (issue 9, "nothing is left behind"). A reconnect or escalation task stays assigned only as
 * the customer's live call: the agent it reached is talking to the customer on it.
 */
export async function openLifelineTasks(stack: Stack): Promise<OpenTask[]> {
  const tasks = await stack.twilio.taskrouter.v1
    .workspaces(stack.sim.options.workspaceSid)
    .tasks.list({ assignmentStatus: ['pending', 'reserved', 'assigned'] });
  return tasks.flatMap((task) => {
    const tag = lifelineKind(task.attributes);
    if (tag === null) return [];
    const call = tag.callSid === null ? undefined : stack.sim.world.calls.get(tag.callSid);
    const liveCall = call !== undefined && stack.sim.world.calls.isLive(call);
    if (task.assignmentStatus === 'assigned' && tag.kind !== 'ping' && liveCall) return [];
    return [{ taskSid: task.sid, kind: tag.kind, assignmentStatus: task.assignmentStatus }];
  });
}

/**
 * Keys under the stack's prefix that break issue 9's "every Redis key has an expiry". Every
 * key of a conference and every index must expire. The shards' work queues and the
 * inspector's listing are shared and have none: Redis drops them once empty, so they may
 * only hold entries of conferences whose keys still exist (a queued effect, timer or listing
 * row of a conference that is gone would stay forever).
 */
export async function keysWithoutExpiry(redis: StackRedis, prefix: string): Promise<string[]> {
  const layout = new KeyLayout(prefix);
  const sharedQueues = new Set<string>();
  for (let shard = 0; shard < SHARD_COUNT; shard += 1) {
    for (const key of Object.values(layout.shard(shard))) sharedQueues.add(key);
  }
  const { buckets, updated, created, summaries } = layout.listing();
  const listing = new Set([...buckets, updated, created, summaries]);
  return withRedis(redis, async ({ keys: keysUnder, client }) => {
    const keys = await keysUnder(prefix);
    const ttls = await Promise.all(keys.map((key) => client.ttl(key)));
    const bad: string[] = [];
    const exists = async (conferenceSid: string) =>
      (await client.exists(layout.conference(conferenceSid).state)) === 1;
    for (const [i, key] of keys.entries()) {
      if (ttls[i] !== -1) continue;
      if (!sharedQueues.has(key) && !listing.has(key)) {
        bad.push(key);
        continue;
      }
      const type = await client.type(key);
      const members = type === 'zset' ? await client.zrange(key, 0, -1) : await client.hkeys(key);
      const sids = members.map((m) => (listing.has(key) ? m : (splitMember(m)?.[0] ?? m)));
      for (const sid of new Set(sids)) {
        if (!(await exists(sid))) bad.push(`${key} → ${sid}`);
      }
    }
    return bad;
  });
}
