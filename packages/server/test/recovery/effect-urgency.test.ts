/**
 * The effect runner under more due effects than it may run at once (a mass disconnect): it
 * claims ahead of its free slots, starts the most urgent claim first (the customer's
 * announcement, then holds, then keeping and moving calls, then the customer's way back through
 * TaskRouter, then checks and bookkeeping), keeps the waiting claims leased, and gives them
 * back when it stops.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import RedisMock from 'ioredis-mock';
import { persist, start } from '@lifeline/machine';
import { afterEach, describe, expect, it } from 'vitest';
import { EffectRunner, heardSlots } from '../../src/effects/runner.ts';
import { urgencyOf } from '../../src/effects/urgency.ts';
import { createMetrics } from '../../src/metrics.ts';
import { RecoveryEngine } from '../../src/recovery/engine.ts';
import { shardOf } from '../../src/store/keys.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import type { OutboxEffect } from '../../src/store/types.ts';
import { createTwilio } from '../../src/twilio/client.ts';
import { REQUIRED_ENV } from '../support/env.ts';
import { executorContext } from '../support/executor.ts';
import { sid } from '../support/payloads.ts';

/** A Twilio stand-in answering every request 200, except those the test holds unanswered. */
async function twilioStandIn() {
  const held: http.ServerResponse[] = [];
  let holding = false;
  const answer = (response: http.ServerResponse) =>
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ sid: sid('CF', 1), status: 'in-progress' }));
  const server = http.createServer((request, response) => {
    request.resume();
    if (holding) held.push(response);
    else answer(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const response of held.splice(0)) answer(response);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type StandIn = Awaited<ReturnType<typeof twilioStandIn>>;

function runnerOn(
  store: RedisStore,
  twilioUrl: string,
  options: { concurrency: number; leaseMs?: number; baseDelayMs?: number; idleMs?: number },
) {
  const twilio = createTwilio({
    accountSid: REQUIRED_ENV.TWILIO_ACCOUNT_SID,
    authToken: REQUIRED_ENV.TWILIO_AUTH_TOKEN,
    apiBaseUrl: twilioUrl,
    maxConcurrency: 11,
    authConcurrency: 1,
  });
  return new EffectRunner({
    store,
    engine: new RecoveryEngine({ store, machineConfig: {} }),
    metrics: createMetrics(),
    log: Fastify({ logger: false }).log,
    idleMs: 10,
    ...options,
    executor: executorContext(twilio.client, (conferenceSid, key) =>
      store.isEffectDone(conferenceSid, key),
    ),
  });
}

/** A conference whose commit queued `effects` (in this order), as a drop's commit does. */
async function queue(store: RedisStore, n: number, effects: { type: string; params: unknown }[]) {
  const conferenceSid = sid('CF', n);
  const result = await store.commit({
    conferenceSid,
    expectedVersion: 0,
    snapshot: persist(start({ conferenceSid }).snapshot),
    final: false,
    timeline: [],
    effects: effects.map((effect, i) => ({ key: `${effect.type}-${n}-${i}`, ...effect })),
    schedule: [],
    cancel: [],
    dedupeIds: [],
  });
  expect(result.ok).toBe(true);
  return conferenceSid;
}

/** What a drop asks for, bookkeeping first: the order the runner must not keep. */
function dropEffects(n: number) {
  const conferenceSid = sid('CF', n);
  const callSid = sid('CA', n);
  const taskSid = sid('WT', n);
  return [
    { type: 'tagTask', params: { taskSid, attributes: { lifeline: { dropped: true } } } },
    {
      type: 'createPingTask',
      params: {
        key: `ping-${n}`,
        recoveryId: `${conferenceSid}:1`,
        workerSid: sid('WK', n),
        attributes: { lifeline: { kind: 'ping' } },
        priority: 100,
        timeoutS: 20,
      },
    },
    {
      type: 'completeReservation',
      params: { taskSid, reservationSid: sid('WR', n) },
    },
    { type: 'keepInConference', params: { conferenceSid, callSid: sid('CA', 1000 + n) } },
    { type: 'holdCustomer', params: { conferenceSid, callSid } },
    { type: 'announceHold', params: { conferenceSid } },
  ];
}

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('effect urgency under a mass disconnect', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  async function standIn(): Promise<StandIn> {
    const twilio = await twilioStandIn();
    cleanups.push(() => twilio.close());
    return twilio;
  }

  it('ranks the announcement first, then holds, calls, TaskRouter bookkeeping, unknown last', () => {
    expect(urgencyOf('announceHold')).toBeLessThan(urgencyOf('holdCustomer'));
    expect(urgencyOf('holdCustomer')).toBe(urgencyOf('holdParty'));
    expect(urgencyOf('holdParty')).toBeLessThan(urgencyOf('keepInConference'));
    for (const call of ['enqueueCustomer', 'moveParticipant', 'endConference', 'lookupCall']) {
      expect(urgencyOf(call)).toBe(urgencyOf('keepInConference'));
    }
    // The customer's way back (the ping, freeing the agent's capacity) before any check or
    // bookkeeping of another drop.
    for (const wayBack of ['createPingTask', 'completeReservation', 'completeTask', 'cancelTask']) {
      expect(urgencyOf(wayBack)).toBeGreaterThan(urgencyOf('keepInConference'));
      expect(urgencyOf(wayBack)).toBeLessThan(urgencyOf('tagTask'));
    }
    expect(urgencyOf('reconcileConference')).toBe(urgencyOf('tagTask'));
    expect(urgencyOf('tagTask')).toBeLessThan(urgencyOf('no-such-effect'));
  });

  it('starts every claimed announcement before any hold, and holds before bookkeeping', async () => {
    const store = new RedisStore(new RedisMock(), { prefix: 'urgency-order' });
    const twilio = await standIn();
    for (let n = 1; n <= 3; n += 1) await queue(store, n, dropEffects(n));
    await queue(store, 4, [{ type: 'no-such-effect', params: {} }, ...dropEffects(4).slice(4)]);

    // One slot: every start is a choice among all the claims. A failed effect (the stand-in's
    // answers are not all a task's) retries only after the test.
    const runner = runnerOn(store, twilio.url, { concurrency: 1, baseDelayMs: 60_000 });
    const started: OutboxEffect[] = [];
    runner.onEffectStart((effect) => started.push(effect));
    await runner.drain();

    const types = started.map((effect) => effect.type);
    expect(types).toHaveLength(3 * 6 + 3);
    expect(types.slice(0, 4)).toEqual(Array(4).fill('announceHold'));
    expect(types.slice(4, 8)).toEqual(Array(4).fill('holdCustomer'));
    expect(types.slice(8, 11)).toEqual(Array(3).fill('keepInConference'));
    expect(new Set(types.slice(11, 17))).toEqual(
      new Set(['createPingTask', 'completeReservation']),
    );
    expect(types.slice(17, 20)).toEqual(Array(3).fill('tagTask'));
    expect(types.at(-1)).toBe('no-such-effect');
    // Each conference's announcement, once.
    const announced = started.slice(0, 4).map((effect) => effect.conferenceSid);
    expect(new Set(announced).size).toBe(4);
  });

  it('claims ahead of its free slots, up to 4 x its concurrency (at least 16)', async () => {
    const store = new RedisStore(new RedisMock(), { prefix: 'urgency-ahead' });
    const twilio = await standIn();
    twilio.hold();
    for (let n = 1; n <= 8; n += 1) await queue(store, n, dropEffects(n));

    const runner = runnerOn(store, twilio.url, { concurrency: 2 });
    const started: OutboxEffect[] = [];
    runner.onEffectStart((effect) => started.push(effect));
    runner.start();
    cleanups.push(() => runner.stop());
    await until(() => twilio.held.length === 2, 'two effects in flight');
    expect(started.map((effect) => effect.type)).toEqual(['announceHold', 'announceHold']);
    // 48 due, 16 claimed (2 running, 14 waiting): another instance finds the other 32.
    const others = await store.claimEffects(Date.now(), 100, 60_000);
    expect(others).toHaveLength(48 - 16);
    twilio.release();
  });

  it('keeps waiting claims leased past their lease, and gives them back when it stops', async () => {
    const store = new RedisStore(new RedisMock(), { prefix: 'urgency-lease' });
    const twilio = await standIn();
    const leaseMs = 300;
    const conferenceSid = await queue(store, 1, dropEffects(1));

    twilio.hold();
    const runner = runnerOn(store, twilio.url, { concurrency: 1, leaseMs });
    runner.start();
    await until(() => twilio.held.length === 1, 'the announcement in flight');

    // Three leases long: without renewals another instance could claim the waiting four.
    await new Promise((resolve) => setTimeout(resolve, 3 * leaseMs));
    expect(await store.claimEffects(Date.now(), 100, leaseMs)).toEqual([]);

    // Stopping gives the waiting claims back at once, while the running one finishes.
    const stopping = runner.stop();
    await until(async () => {
      const taken = await store.claimEffects(Date.now(), 100, 60_000);
      if (taken.length === 0) return false;
      expect(taken.map((effect) => effect.type).sort()).toEqual(
        [
          'completeReservation',
          'createPingTask',
          'holdCustomer',
          'keepInConference',
          'tagTask',
        ].sort(),
      );
      return true;
    }, 'the waiting claims given back');
    twilio.release();
    await stopping;
    expect(await store.isEffectDone(conferenceSid, 'announceHold-1-5')).toBe(true);
  });

  it("claims from a poked conference's shard alone, and sweeps every shard each idleMs", async () => {
    const store = new RedisStore(new RedisMock(), { prefix: 'urgency-hint' });
    const twilio = await standIn();
    const asked: (readonly number[] | undefined)[] = [];
    const claim = store.claimEffects.bind(store);
    store.claimEffects = (now, limit, leaseMs, only) => {
      asked.push(only);
      return claim(now, limit, leaseMs, only);
    };
    // Sweeps a second apart: the poke's claim comes long before the next one.
    const runner = runnerOn(store, twilio.url, { concurrency: 2, idleMs: 1000 });
    runner.start();
    cleanups.push(() => runner.stop());
    await until(() => asked.length > 0, 'the first sweep');
    expect(asked[0]).toBeUndefined();

    // A commit of this instance: its shard is claimed at once, and no other is counted.
    const announce = (n: number) => [
      { type: 'announceHold', params: { conferenceSid: sid('CF', n) } },
    ];
    const poked = await queue(store, 1, announce(1));
    const before = asked.length;
    runner.poke(poked);
    await until(() => store.isEffectDone(poked, 'announceHold-1-0'), 'the poked effect');
    expect(asked.slice(before)[0]).toEqual([shardOf(poked)]);

    // Another instance's commit (no poke here): the next sweep finds it.
    let other = 2;
    while (shardOf(sid('CF', other)) === shardOf(poked)) other += 1;
    const unpoked = await queue(store, other, announce(other));
    await until(() => store.isEffectDone(unpoked, `announceHold-${other}-0`), 'a sweep');
    expect(asked.filter((only) => only === undefined).length).toBeGreaterThan(1);
  });

  it('keeps a twentieth of its slots for what a customer hears: bookkeeping never takes them', async () => {
    expect([1, 2, 10, 92].map(heardSlots)).toEqual([0, 1, 1, 4]);
    const store = new RedisStore(new RedisMock(), { prefix: 'urgency-heard' });
    const twilio = await standIn();
    twilio.hold();
    const tag = (n: number) => [
      { type: 'tagTask', params: { taskSid: sid('WT', n), attributes: { n } } },
    ];
    for (let n = 1; n <= 12; n += 1) await queue(store, n, tag(n));
    const runner = runnerOn(store, twilio.url, { concurrency: 10 });
    const started: OutboxEffect[] = [];
    runner.onEffectStart((effect) => started.push(effect));
    runner.start();
    cleanups.push(() => runner.stop());
    await until(() => twilio.held.length === 9, 'nine tags in flight');

    // Every slot but the kept one is waiting on Twilio: a drop heard now is announced at once.
    const dropped = await queue(store, 13, [
      { type: 'announceHold', params: { conferenceSid: sid('CF', 13) } },
    ]);
    runner.poke(dropped);
    await until(() => twilio.held.length === 10, 'the announcement in flight');
    expect(started.at(-1)?.type).toBe('announceHold');
    expect(started.filter((effect) => effect.type === 'tagTask')).toHaveLength(9);
    twilio.release();
  });
});
