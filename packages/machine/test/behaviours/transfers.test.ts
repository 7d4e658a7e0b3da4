import { describe, expect, it } from 'vitest';
import {
  AGENT2_CALL,
  AGENT_CALL,
  Run,
  WORKER,
  WORKER2,
  hungUp,
  joined,
  left,
  registered,
  sidOf,
  transferred,
} from '../fixtures.ts';
import { nameOf, paramsOf } from '../support/scenarios.ts';

const secondAgent = registered({
  workerSid: WORKER2,
  workerCallSid: AGENT2_CALL,
  reservationSid: sidOf('WR', 2),
  taskSid: sidOf('WT', 12),
  workerName: 'Bob',
});

function warmTransfer(): Run {
  const run = Run.connected();
  run.send(secondAgent, joined(AGENT2_CALL, { label: 'worker' }));
  return run;
}

describe('cold transfer', () => {
  it('removes the agent and recovers nothing', () => {
    const run = Run.connected();
    expect(run.send(transferred('COLD')).effects).toEqual([]);
    const leave = run.send(left(AGENT_CALL));

    expect(nameOf(run)).toBe('connected');
    expect(leave.effects).toEqual([]);
    expect(run.snapshot.context.recovery).toBeNull();
    expect(run.snapshot.context.agents[WORKER]).toMatchObject({
      present: false,
      exit: 'cold-transfer',
    });
  });

  it('is not announced by a warm transfer', () => {
    const run = Run.connected();
    const result = run.send(transferred('WARM'));
    expect(result.changed).toBe(false);
    expect(run.snapshot.context.agents[WORKER]?.exit).toBeNull();
  });
});

describe('warm transfer', () => {
  it('when the first agent drops, only removes that agent', () => {
    const run = warmTransfer();
    const leave = run.send(left(AGENT_CALL));

    expect(nameOf(run)).toBe('connected');
    expect(leave.effects).toEqual([]);
    expect(run.snapshot.context.agents[WORKER]?.present).toBe(false);
    expect(run.snapshot.context.agents[WORKER2]?.present).toBe(true);
  });

  it('when the last agent drops, recovers for that agent', () => {
    const run = warmTransfer();
    run.send(left(AGENT_CALL));
    const drop = run.send(left(AGENT2_CALL));

    expect(nameOf(run)).toBe('pinging');
    expect(run.snapshot.context.recovery).toMatchObject({
      workerSid: WORKER2,
      workerName: 'Bob',
      callSid: AGENT2_CALL,
      taskSid: sidOf('WT', 12),
    });
    expect(paramsOf(drop.effects, 'createPingTask')).toMatchObject([{ workerSid: WORKER2 }]);
  });

  it('recovers when the first agent announced a hang-up whose leave is still in flight', () => {
    const run = warmTransfer();
    run.send(hungUp(3, WORKER));
    // The second agent drops before the first agent's leave callback arrives.
    run.send(left(AGENT2_CALL));
    expect(nameOf(run)).toBe('pinging');
    expect(run.snapshot.context.recovery?.workerSid).toBe(WORKER2);

    const late = run.send(left(AGENT_CALL));
    expect(late.effects).toEqual([]);
    expect(nameOf(run)).toBe('pinging');
  });
});
