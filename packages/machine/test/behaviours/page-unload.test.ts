import { describe, expect, it } from 'vitest';
import {
  AGENT2_CALL,
  AGENT_CALL,
  Run,
  T0,
  WORKER,
  WORKER2,
  joined,
  left,
  pageUnloaded,
  registered,
  sidOf,
} from '../fixtures.ts';
import { nameOf, typesOf } from '../support/scenarios.ts';

describe('pageUnloaded beacon', () => {
  it('starts the recovery with cause refresh', () => {
    const run = Run.connected();
    const result = run.send(pageUnloaded());
    expect(nameOf(run)).toBe('pinging');
    expect(typesOf(result)).toEqual(['announceHold', 'holdCustomer', 'tagTask', 'createPingTask']);
    expect(run.snapshot.context.recovery).toMatchObject({
      cause: 'refresh',
      workerSid: WORKER,
      disconnectedAt: T0 + 800,
    });
    expect(run.snapshot.context.agents[WORKER]?.present).toBe(false);
  });

  it('makes the later leave of the agent leg a non-event', () => {
    const run = Run.connected();
    run.send(pageUnloaded());
    const before = run.snapshot;
    const leave = run.send(left(AGENT_CALL));
    expect(leave.effects).toEqual([]);
    expect(run.snapshot.value).toEqual(before.value);
    expect(run.snapshot.context.recovery).toEqual(before.context.recovery);
    expect(run.snapshot.context.recoveries).toBe(1);
  });

  it('is ignored after a drop already started the recovery', () => {
    const run = Run.connected();
    run.send(left(AGENT_CALL));
    const result = run.send(pageUnloaded());
    expect(result.changed).toBe(false);
    expect(run.snapshot.context.recovery?.cause).toBe('drop');
  });

  it('is ignored while another agent stays with the customer', () => {
    const run = Run.connected();
    run.send(
      registered({
        workerSid: WORKER2,
        workerCallSid: AGENT2_CALL,
        reservationSid: sidOf('WR', 2),
      }),
      joined(AGENT2_CALL),
    );
    expect(run.send(pageUnloaded()).changed).toBe(false);
    expect(nameOf(run)).toBe('connected');
  });

  it('is ignored for a worker it does not know', () => {
    const run = Run.connected();
    expect(run.send(pageUnloaded(sidOf('WK', 9))).changed).toBe(false);
  });
});
