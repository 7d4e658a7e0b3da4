import { describe, expect, it } from 'vitest';
import {
  AGENT_CALL,
  CONF,
  EXTERNAL,
  Run,
  T0,
  conferenceEnded,
  hungUp,
  joined,
  left,
  registered,
  sidOf,
} from '../fixtures.ts';
import { nameOf, paramsOf } from '../support/scenarios.ts';

describe('graceful hangup', () => {
  it('with two parties ends the conference and finishes as graceful', () => {
    const run = Run.connected();
    const result = run.send(hungUp(2));

    expect(nameOf(run)).toBe('graceful');
    expect(run.snapshot.status).toBe('done');
    // Both legs have endConferenceOnExit=false: without this the customer would stay on.
    expect(paramsOf(result.effects, 'endConference')).toEqual([
      { key: `${CONF}:end-conference`, conferenceSid: CONF, reason: 'Agent hung up' },
    ]);
    expect(run.snapshot.context.outcome).toEqual({
      kind: 'ended',
      reason: 'graceful',
      at: T0 + 900,
    });
  });

  it('with more than two parties recovers nothing when the agent leaves', () => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external' }));
    const hangup = run.send(hungUp(3));
    expect(hangup.effects).toEqual([]);
    expect(nameOf(run)).toBe('connected');

    const leave = run.send(left(AGENT_CALL));
    expect(nameOf(run)).toBe('connected');
    expect(leave.effects).toEqual([]);
    expect(run.snapshot.context.recovery).toBeNull();
    expect(run.snapshot.context.agents[registered().workerSid]).toMatchObject({
      present: false,
      exit: 'hangup',
    });

    run.send(conferenceEnded());
    expect(nameOf(run)).toBe('graceful');
  });

  it('keeps the announced hang-up when the plugin repeats its registration', () => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external' }), hungUp(3));
    // A retried registration of the same reservation must not forget the hang-up.
    expect(run.send(registered()).changed).toBe(false);
    run.send(left(AGENT_CALL));
    expect(nameOf(run)).toBe('connected');
    expect(run.effectsOf('createPingTask')).toEqual([]);
  });

  it('ignores a hang-up from a worker it does not know', () => {
    const run = Run.connected();
    const result = run.send(hungUp(2, sidOf('WK', 9)));
    expect(result.changed).toBe(false);
    expect(result.effects).toEqual([]);
    expect(nameOf(run)).toBe('connected');
  });
});
