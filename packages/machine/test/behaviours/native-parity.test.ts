import { describe, expect, it } from 'vitest';
import { stateName } from '../../src/index.ts';
import { AGENT_CALL, CONF, CUSTOMER, EXTERNAL, Run, joined, modified } from '../fixtures.ts';
import { paramsOf } from '../support/scenarios.ts';

const customerLeaves = (eoe: boolean) =>
  ({
    type: 'participant.left',
    at: 2000,
    seq: 900,
    callSid: CUSTOMER,
    label: 'customer',
    endConferenceOnExit: eoe,
    hold: false,
    reason: 'participant_hung_up',
  }) as const;

describe('native parity: a call that never drops ends as in plain Flex', () => {
  it('keeps the customer flag Flex set, so the customer hanging up ends the conference by itself', () => {
    const run = Run.connected();
    // Flex sets the flag on both legs of a two-party call; only the agent's is undone.
    run.send(modified(CUSTOMER, true, 100));
    const reset = run.send(modified(AGENT_CALL, true, 101));
    expect(paramsOf(reset.effects, 'keepInConference').map((p) => p.callSid)).toEqual([AGENT_CALL]);
    const result = run.send(customerLeaves(true));
    expect(stateName(run.snapshot)).toBe('customerLeft');
    // Twilio ends the conference for the customer's flag: nothing for Lifeline to do.
    expect(result.effects).toEqual([]);
  });

  it('ends the conference itself when the customer left with the flag off and others remain', () => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external' }));
    const result = run.send(customerLeaves(false));
    expect(stateName(run.snapshot)).toBe('customerLeft');
    expect(paramsOf(result.effects, 'endConference')).toEqual([
      { key: `${CONF}:end-conference`, conferenceSid: CONF, reason: 'Customer hung up' },
    ]);
  });
});
