/**
 * Fault drill: two instances whose clocks differ by 2 s share one Redis. Timers are due-times
 * written with the scheduling instance's clock and fired by whichever instance sees them due
 * first, and effect leases are compared with the claiming instance's clock. A 2 s skew may
 * move a timer by at most the skew; it must fire exactly once and run its effects once, and no
 * lease may be taken from a live owner.
 */
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp, uniquePrefix } from '../support/app.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import { Flow, stateOf } from '../support/flow.ts';
import { AGENT_TOKEN, CONF, CUSTOMER, RESERVATION, TASK, WORKER } from '../support/payloads.ts';
import { deletePrefix, REDIS_URL } from '../store/backends.ts';

const SKEW_MS = 2_000;

async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('fault drill: 2 s of clock skew between two instances', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('fires the ping timer once, within the skew of its due time, and runs each effect once', async () => {
    const twilio = await startFakeTwilio();
    cleanups.push(() => twilio.close());
    twilio.tokens.set(AGENT_TOKEN, { worker_sid: WORKER, roles: ['agent'] });
    twilio.assign({
      conferenceSid: CONF,
      taskSid: TASK,
      workerSid: WORKER,
      reservationSid: RESERVATION,
    });
    const prefix = uniquePrefix();
    const cleaner = new Redis(REDIS_URL);
    cleanups.push(async () => {
      await deletePrefix(cleaner, prefix);
      cleaner.disconnect();
    });

    const instance = async (skewMs: number): Promise<FastifyInstance> => {
      const app = await testApp({
        twilioUrl: twilio.url,
        client: new Redis(REDIS_URL),
        prefix,
        binary: true,
        runLoops: true,
        now: () => Date.now() + skewMs,
        // A short ping so the drill waits seconds, not the production 15 s.
        env: { PING_TIMEOUT_S: '3' },
      });
      cleanups.push(() => app.close());
      await app.ready();
      return app;
    };
    const onTime = await instance(0);
    const ahead = await instance(SKEW_MS);
    // Every webhook reaches both, as Twilio's redeliveries and a load balancer could.
    const flow = new Flow(() => [onTime, ahead], twilio);

    await flow.threePartyCall();
    await flow.agentDrops();
    // The agent's time runs from the ping task's creation: its timer replaces the create's.
    const pingTimeout = async () =>
      (await onTime.lifeline.store.dueTimers(Date.now() + 3_600_000, 10)).find((t) =>
        t.event.type.startsWith('xstate.after.pingTimeout.'),
      );
    await until(async () => (await pingTimeout()) !== undefined, 'the ping timeout');
    const timer = await pingTimeout();
    expect(timer).toBeDefined();
    const dueAt = timer?.dueAt ?? 0;
    // Nobody answers the ping: the timer escalates.
    await until(async () => {
      const state = await stateOf(onTime);
      return (
        typeof state === 'object' &&
        state !== null &&
        'recovering' in state &&
        state.recovering === 'escalated'
      );
    }, 'the escalation');
    const firedAt = Date.now();

    // The due time was written on one instance's clock; the other may act on it up to the
    // skew earlier, and a busy machine a little later. Never more than the skew early.
    expect(firedAt).toBeGreaterThanOrEqual(dueAt - SKEW_MS);
    expect(firedAt).toBeLessThan(dueAt + SKEW_MS + 1_500);
    const fired = (await onTime.lifeline.store.timeline(CONF)).filter(
      (entry) => entry.kind === 'event' && entry.name.startsWith('xstate.after'),
    );
    expect(fired).toHaveLength(1);
    expect(await onTime.lifeline.store.dueTimers(Date.now() + 3_600_000, 10)).not.toContainEqual(
      expect.objectContaining({ id: timer?.id }),
    );

    await until(
      () => twilio.mutations(`/Calls/${CUSTOMER}.json`).length > 0,
      'the escalation enqueue',
    );
    // Leases held by one instance were never taken by the other: each effect ran once.
    const pings = [...twilio.tasks.values()].filter((t) => t.attributes.includes('"kind":"ping"'));
    expect(pings).toHaveLength(1);
    expect(twilio.tasks.get(pings[0]?.sid ?? '')?.assignment_status).toBe('canceled');
    expect(twilio.mutations(`/Calls/${CUSTOMER}.json`)).toHaveLength(1);
    expect(
      twilio.mutations('/Conferences/').filter((c) => c.body['AnnounceUrl'] !== undefined),
    ).toHaveLength(1);
  }, 60_000);
});
