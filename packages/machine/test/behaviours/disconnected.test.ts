import { describe, expect, it } from 'vitest';
import { getMicrosteps } from 'xstate';
import { recoveryMachine, stateName } from '../../src/index.ts';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  EXTERNAL,
  Run,
  SUPERVISOR,
  T0,
  TASK,
  left,
} from '../fixtures.ts';
import { connectedWithThirdParties, paramsOf, typesOf } from '../support/scenarios.ts';

describe('disconnected', () => {
  it('is passed through on the way to pinging when the last agent drops', () => {
    const run = Run.connected();
    const drop = left(AGENT_CALL);
    const names = getMicrosteps(recoveryMachine, run.snapshot, drop).map(([s]) => stateName(s));
    expect(names).toEqual(['disconnected', 'pinging']);
  });

  it('no silence: announces, holds the customer with hold audio (kept in first) and tags the task', () => {
    const run = Run.connected();
    const result = run.send(left(AGENT_CALL));
    const id = `${CONF}:1`;

    expect(typesOf(result)).toEqual(['announceHold', 'holdCustomer', 'tagTask', 'createPingTask']);
    expect(paramsOf(result.effects, 'holdCustomer')).toEqual([
      { key: `${id}:hold-customer`, conferenceSid: CONF, callSid: CUSTOMER },
    ]);
    expect(paramsOf(result.effects, 'announceHold')).toEqual([
      { key: `${id}:announce`, conferenceSid: CONF },
    ]);
    expect(paramsOf(result.effects, 'tagTask')).toEqual([
      {
        key: `${id}:tag-original`,
        taskSid: TASK,
        attributes: {
          disconnectedTime: new Date(T0 + 1000).toISOString(),
          conversations: { followed_by: 'Reconnect Agent' },
        },
      },
    ]);
    expect(paramsOf(result.effects, 'keepInConference')).toEqual([]);
    expect(run.snapshot.context.recovery).toMatchObject({
      id,
      cause: 'drop',
      disconnectedAt: T0 + 1000,
      customerIn: 'conference',
    });
  });

  it('keeps every third party in the conference too, and remembers them to dial back', () => {
    const run = connectedWithThirdParties();
    const result = run.send(left(AGENT_CALL));

    const kept = paramsOf(result.effects, 'keepInConference').map((p) => p.callSid);
    expect(kept.sort()).toEqual([EXTERNAL, SUPERVISOR].sort());
    expect(kept).not.toContain(AGENT_CALL);
    expect(run.snapshot.context.recovery?.parties).toEqual({
      [EXTERNAL]: {
        callSid: EXTERNAL,
        label: 'external',
        endConferenceOnExit: false,
        status: 'waiting',
        error: null,
      },
      [SUPERVISOR]: {
        callSid: SUPERVISOR,
        label: 'supervisor',
        endConferenceOnExit: true,
        status: 'waiting',
        error: null,
      },
    });
  });

  it('does not count a third party that hung up before the drop', () => {
    const run = connectedWithThirdParties();
    run.send(left(EXTERNAL));
    const result = run.send(left(AGENT_CALL));
    expect(paramsOf(result.effects, 'keepInConference').map((p) => p.callSid)).not.toContain(
      EXTERNAL,
    );
    expect(Object.keys(run.snapshot.context.recovery?.parties ?? {})).toEqual([SUPERVISOR]);
  });

  it('is not entered when the agent leaves by an API move', () => {
    const run = Run.connected();
    const result = run.send(left(AGENT_CALL, 'participant_updated_via_api'));
    expect(result.effects).toEqual([]);
    expect(stateName(run.snapshot)).toBe('connected');
  });
});
