import RedisMock from 'ioredis-mock';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, persist, restore, start, step } from '@lifeline/machine';
import type { StepEvent } from '@lifeline/machine';
import { RedisStore } from '../../src/store/redis-store.ts';
import { decodeSnapshot, encodeSnapshot } from '../../src/store/snapshot-codec.ts';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  RESERVATION,
  TASK,
  WORKER,
  WORKFLOW,
} from '../support/payloads.ts';
import { uniquePrefix } from './backends.ts';

const events: StepEvent[] = [
  {
    type: 'agent.registered',
    at: 1,
    taskSid: TASK,
    workflowSid: WORKFLOW,
    taskAttributes: { from: '+15551234567', nested: { list: [1, 'two'] } },
    customerCallSid: CUSTOMER,
    workerSid: WORKER,
    reservationSid: RESERVATION,
    workerCallSid: AGENT_CALL,
    workerName: 'Alice',
  },
  {
    type: 'participant.updated',
    at: 2,
    seq: 2,
    callSid: CUSTOMER,
    label: 'customer',
    endConferenceOnExit: false,
    hold: true,
    change: 'hold',
  },
  {
    type: 'participant.left',
    at: 3,
    seq: 3,
    callSid: AGENT_CALL,
    label: null,
    endConferenceOnExit: false,
    hold: false,
    reason: 'participant_hung_up',
  },
];

/** Persisted snapshots of one conference after each event, the last one mid-recovery. */
function persistedSnapshots(): unknown[] {
  let snapshot = start({ conferenceSid: CONF }).snapshot;
  const out: unknown[] = [persist(snapshot)];
  for (const event of events) {
    snapshot = step(snapshot, event).snapshot;
    out.push(persist(snapshot));
  }
  return out;
}

describe('snapshot encoding', () => {
  it('round-trips the machine snapshots in about two thirds of the bytes', () => {
    const snapshots = persistedSnapshots();
    expect((snapshots.at(-1) as { value: unknown }).value).toEqual({
      recovering: { pinging: 'creating' },
    });
    for (const snapshot of snapshots) {
      const encoded = encodeSnapshot(snapshot);
      expect(decodeSnapshot(encoded)).toEqual(snapshot);
      expect(encoded.length).toBeLessThan(JSON.stringify(snapshot).length * 0.75);
    }
    // What comes back restores to the same state.
    const last = snapshots.at(-1);
    expect(persist(restore(decodeSnapshot(encodeSnapshot(last))))).toEqual(last);
  });

  it('round-trips any JSON: marker characters, repeated long keys and values, odd keys', () => {
    const long = 'x'.repeat(20);
    const values: unknown[] = [
      null,
      0,
      'short',
      [],
      {},
      { '^key': '^value', '!key': '!value', '^~': '^~', '!0': 1, value: '!1' },
      { [long]: long, nested: { [long]: [long, `${long}y`, long] }, list: [{ [long]: 1 }] },
      { 10: 'a', b: 'b', 2: 'c', '1234567890123456789': 'd', '': 'empty', ü: '✓ "quoted"' },
      { dropped: undefined, kept: [null, true, 1.5, -3] },
    ];
    for (const value of values) {
      expect(decodeSnapshot(encodeSnapshot(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });

  it('reads snapshots stored as plain JSON, older schema versions included', async () => {
    const store = new RedisStore(new RedisMock(), { prefix: uniquePrefix() });
    const current = persistedSnapshots().at(-2) as { context: Record<string, unknown> };
    const v1 = {
      ...current,
      schemaVersion: 1,
      value: 'tracking',
      context: { ...current.context, schemaVersion: 1 },
    };
    const { state } = store.keys.conference(CONF);
    const client = new RedisMock();
    await client.hset(state, 'version', '4', 'snapshot', JSON.stringify(v1), 'final', '0');
    const loaded = await store.load(CONF);
    expect(loaded).toMatchObject({ version: 4, final: false, snapshot: v1 });
    const restored = restore(loaded?.snapshot);
    expect(restored.value).toBe('connected');
    expect(restored.context.schemaVersion).toBe(SCHEMA_VERSION);
  });
});
