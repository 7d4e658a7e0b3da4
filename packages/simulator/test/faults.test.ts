import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { SimulatorRequestClient, waitFor } from '../src/index.ts';
import { useHarness } from './support/sim.ts';
import { accountSid, authToken } from './support/ids.ts';

const h = useHarness();

async function roomWithCallbacks(room: string): Promise<string> {
  const call = await h.client.calls.create({
    from: '+15550000000',
    to: '+15550000001',
    twiml: `<Response><Dial><Conference statusCallback="${h.receiver.origin}/webhooks/conference-status" statusCallbackEvent="start end join leave hold">${room}</Conference></Dial></Response>`,
  });
  await waitFor(() => h.sim.calls.get(call.sid).place.kind === 'conference');
  return call.sid;
}

const seqs = () => h.receiver.forms().map((f) => Number(f['SequenceNumber']));

describe('webhook faults', () => {
  it('duplicates webhooks: the copy carries the same SequenceNumber and idempotency token', async () => {
    h.sim.faults.duplicateWebhooks(1, 'conference');
    await roomWithCallbacks('dup');
    await waitFor(() => h.receiver.forms().length >= 3);
    expect(seqs()).toEqual([1, 1, 2]);
    const [a, b] = h.receiver.received;
    expect(a?.headers['i-twilio-idempotency-token']).toBe(b?.headers['i-twilio-idempotency-token']);
  });

  it('reorders webhooks: a held group arrives in reverse', async () => {
    h.sim.faults.reorderWebhooks(2, 'conference');
    await roomWithCallbacks('reorder');
    await waitFor(() => h.receiver.forms().length >= 2);
    expect(seqs()).toEqual([2, 1]);
  });

  it('delays webhooks: later ones overtake the delayed one', async () => {
    // Long enough that the third callback (after a REST round trip) overtakes it even on a
    // loaded machine.
    h.sim.faults.delayWebhooks(2_000, 1, 'conference');
    const callSid = await roomWithCallbacks('delay');
    const sid = h.sim.world.conferences.liveByName('delay')?.sid ?? '';
    await h.client.conferences(sid).participants(callSid).update({ hold: true });
    await waitFor(() => h.receiver.forms().length >= 3);
    expect(seqs()).toEqual([2, 3, 1]);
  });

  it('retries a conference callback once when the receiver is down (Twilio default rc=1, connect failures)', async () => {
    const outage = h.sim.faults.receiverDown();
    await roomWithCallbacks('down');
    await h.sim.webhooksIdle();
    outage.restore();
    const attempts = h.sim.webhooks.of('conference');
    expect(
      attempts.filter((a) => a.params?.['SequenceNumber'] === '1').map((a) => a.attempt),
    ).toEqual([1, 2]);
    expect(attempts.every((a) => !a.ok)).toBe(true);
    expect(h.receiver.received).toEqual([]);
  });
});

describe('REST faults', () => {
  it('answers a burst of 429s in Twilio’s shape, then recovers', async () => {
    h.sim.faults.restErrors(429, 2, { operationId: 'ListCall' });
    await expect(h.client.calls.list()).rejects.toMatchObject({ status: 429, code: 20429 });
    await expect(h.client.calls.list()).rejects.toMatchObject({ status: 429 });
    await expect(h.client.calls.list()).resolves.toEqual([]);
  });

  it('lets twilio-node autoRetry ride out 429s', async () => {
    const retrying = twilio(accountSid, authToken, {
      httpClient: new SimulatorRequestClient(h.sim.url, { autoRetry: true, maxRetryDelay: 20 }),
    });
    h.sim.faults.restErrors(429, 2);
    await expect(retrying.calls.list()).resolves.toEqual([]);
    expect(h.sim.requests.records.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('caps REST requests in flight: one above the cap is answered 429 (error 20429) at once', async () => {
    const cap = h.sim.faults.limitRestConcurrency(2);
    // Slow answers, so the first two are still in flight when the others arrive.
    h.sim.faults.restLatency(300, 2);
    const settled: string[] = [];
    const track = (name: string, request: Promise<unknown>) =>
      request.finally(() => settled.push(name));
    const late = (name: string) =>
      track(
        name,
        new Promise((resolve) => setTimeout(resolve, 100)).then(() => h.client.calls.list()),
      );
    const results = await Promise.allSettled([
      track('slow-1', h.client.calls.list()),
      track('slow-2', h.client.calls.list()),
      late('late-1'),
      late('late-2'),
      late('late-3'),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
    ]);
    for (const result of results.slice(2)) {
      expect(result).toMatchObject({
        reason: {
          status: 429,
          code: 20429,
          moreInfo: 'https://www.twilio.com/docs/errors/20429',
        },
      });
    }
    // Turned away at once: not after the latency of the two in flight.
    expect(settled.slice(0, 3).sort()).toEqual(['late-1', 'late-2', 'late-3']);
    expect(cap.rejected).toBe(3);
    expect(h.sim.requests.records.filter((r) => r.status === 429)).toHaveLength(3);

    // Answered ones leave the count: the cap admits again.
    await expect(h.client.calls.list()).resolves.toEqual([]);
    expect(cap.rejected).toBe(3);
  });

  it('lets the concurrency cap lapse on clear() or lift()', async () => {
    const burst = async () => {
      h.sim.faults.restLatency(100, 4);
      return (await Promise.allSettled([0, 1, 2, 3].map(() => h.client.calls.list()))).filter(
        (r) => r.status === 'rejected',
      ).length;
    };
    const first = h.sim.faults.limitRestConcurrency(1);
    expect(await burst()).toBe(3);
    h.sim.faults.clear();
    expect(await burst()).toBe(0);
    expect(first.rejected).toBe(3);

    const second = h.sim.faults.limitRestConcurrency(1);
    second.lift();
    expect(await burst()).toBe(0);
    expect(second.rejected).toBe(0);
    expect(() => h.sim.faults.limitRestConcurrency(0)).toThrow(/positive integer/);
  });

  it('answers 500 bursts and adds latency', async () => {
    h.sim.faults.restErrors(500, 1);
    await expect(h.client.conferences.list()).rejects.toMatchObject({ status: 500, code: 20500 });
    h.sim.faults.restLatency(120, 1);
    const started = Date.now();
    await h.client.conferences.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});
