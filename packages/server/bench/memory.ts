/**
 * `pnpm bench memory`: Redis bytes per conference (INFO memory's used_memory, before and
 * after), on a redis-server of the bench's own (a free loopback port, no persistence), so no
 * other client of a shared Redis moves the figure. MEMORY_CONFERENCES (10,000) conferences,
 * each with random SIDs (real SIDs are 32 random hex digits, and do not compress):
 *
 *   live:     registered through the plugin API's dispatch (task and worker indexes), its
 *             registration effect completed as the runner completes it, then 19 hold/unhold
 *             conference callbacks: 20 events, their timeline, delivery ids, listing entry.
 *   finished: the same after a conference-end callback, kept for audit until the final TTL.
 *
 * Goals: <= 2 KB per live conference, <= 1 KB per finished one. Every key is deleted after.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { StepEvent } from '@lifeline/machine';
import { DEFAULT_PREFIX } from '../src/store/keys.ts';
import { privateRedis } from '../test/drills/private-redis.ts';
import { appOn, closeAndClean } from './app.ts';
import { progress } from './report.ts';
import type { Figure } from './report.ts';

const CONFERENCES = Number(process.env['MEMORY_CONFERENCES'] ?? 10_000);
/** Conferences driven at once: enough to keep Redis busy, each one's events in order. */
const PARALLEL = 50;
const EVENTS = 20;
const COMMAND = 'pnpm bench memory';

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

interface Call {
  conference: string;
  task: string;
  worker: string;
  customer: string;
  agent: string;
}

async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  const match = /used_memory:(\d+)/.exec(info);
  if (match?.[1] === undefined) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

/** What the runner does with each due effect, without Twilio: completed, with its result. */
async function completeEffects(app: FastifyInstance): Promise<void> {
  const { store } = app.lifeline;
  for (;;) {
    const now = Date.now();
    const claimed = await store.claimEffects(now, 500, 30_000);
    if (claimed.length === 0) return;
    await Promise.all(
      claimed.map((effect) =>
        store.completeEffect(effect.conferenceSid, effect.key, {
          at: now,
          kind: 'effect-result',
          name: effect.type,
          detail: { key: effect.key, attempt: effect.attempts + 1, result: 'done', latencyMs: 85 },
        }),
      ),
    );
  }
}

/** A conference callback as routes/webhooks/conference-status.ts dispatches it. */
function callback(app: FastifyInstance, call: Call, seq: number, event: StepEvent, name: string) {
  return app.lifeline.engine.dispatch({
    conferenceSid: call.conference,
    event,
    source: 'conference-status',
    dedupeIds: [`cs:${seq}:${name}`],
    create: true,
    firstSight: { type: 'conference.discovered', at: Date.now(), friendlyName: call.task },
  });
}

async function live(app: FastifyInstance, call: Call): Promise<void> {
  await app.lifeline.engine.dispatch({
    conferenceSid: call.conference,
    create: true,
    source: 'api',
    event: {
      type: 'agent.registered',
      at: Date.now(),
      taskSid: call.task,
      workflowSid: 'WW0123456789abcdef0123456789abcdef',
      taskAttributes: { from: '+15551234567', name: 'Customer' },
      customerCallSid: call.customer,
      workerSid: call.worker,
      reservationSid: sid('WR'),
      workerCallSid: call.agent,
      workerName: 'Alice Agent',
    },
    index: { workerSids: [call.worker], taskSids: [call.task] },
  });
  for (let seq = 1; seq < EVENTS; seq += 1) {
    const hold = seq % 2 === 1;
    await callback(
      app,
      call,
      seq,
      {
        type: 'participant.updated',
        at: Date.now(),
        seq,
        callSid: call.customer,
        label: 'customer',
        endConferenceOnExit: false,
        hold,
        change: 'hold',
      },
      hold ? 'participant-hold' : 'participant-unhold',
    );
  }
}

async function finish(app: FastifyInstance, call: Call): Promise<void> {
  await callback(
    app,
    call,
    EVENTS + 1,
    { type: 'conference.ended', at: Date.now(), seq: EVENTS + 1, reason: 'last-participant-left' },
    'conference-end',
  );
}

async function inBatches(calls: Call[], run: (call: Call) => Promise<void>): Promise<void> {
  for (let i = 0; i < calls.length; i += PARALLEL) {
    await Promise.all(calls.slice(i, i + PARALLEL).map(run));
  }
}

export async function benchMemory(): Promise<Figure[]> {
  const redis = await privateRedis({ persistent: false });
  const probe = new Redis(redis.url);
  // The production prefix: the server is the bench's own, and the prefix is in every key.
  const app = await appOn(redis.url, { REDIS_KEY_PREFIX: DEFAULT_PREFIX });
  try {
    const calls: Call[] = Array.from({ length: CONFERENCES }, () => ({
      conference: sid('CF'),
      task: sid('WT'),
      worker: sid('WK'),
      customer: sid('CA'),
      agent: sid('CA'),
    }));
    const before = await usedMemory(probe);
    progress(`memory: ${CONFERENCES} live conferences, ${EVENTS} events each`);
    await inBatches(calls, async (call) => {
      await live(app, call);
    });
    await completeEffects(app);
    const liveBytes = (await usedMemory(probe)) - before;
    progress(`memory: ending the ${CONFERENCES} conferences`);
    await inBatches(calls, (call) => finish(app, call));
    await completeEffects(app);
    const finalBytes = (await usedMemory(probe)) - before;
    return [
      {
        name: `Redis per live conference (${EVENTS} events)`,
        value: liveBytes / CONFERENCES,
        unit: 'bytes',
        baseline: 'goal',
        baselineValue: 2048,
        kind: 'cost',
        goal: '<= 1x',
        command: COMMAND,
      },
      {
        name: 'Redis per finished conference (audit)',
        value: finalBytes / CONFERENCES,
        unit: 'bytes',
        baseline: 'goal',
        baselineValue: 1024,
        kind: 'cost',
        goal: '<= 1x',
        command: COMMAND,
      },
    ];
  } finally {
    await closeAndClean(app, redis.url);
    probe.disconnect();
    await redis.destroy();
  }
}
