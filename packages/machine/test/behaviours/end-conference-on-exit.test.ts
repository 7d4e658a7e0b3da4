import { describe, expect, it } from 'vitest';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  EXTERNAL,
  Run,
  joined,
  modified,
  registered,
} from '../fixtures.ts';
import { paramsOf, pinging, reconnecting } from '../support/scenarios.ts';

/**
 * Flex sets endConferenceOnExit=true whenever two or fewer are live. Lifeline undoes it on
 * agent legs while connected, and on everyone once a recovery runs.
 */
describe('endConferenceOnExit reset undone', () => {
  it('asks to keep the agent in the conference when Flex sets the flag', () => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external' }));
    const result = run.send(modified(AGENT_CALL, true, 500));
    expect(paramsOf(result.effects, 'keepInConference')).toEqual([
      { key: `${CONF}:keep:${AGENT_CALL}:reset-500`, conferenceSid: CONF, callSid: AGENT_CALL },
    ]);
  });

  it.each([
    ['the customer', CUSTOMER],
    ['a third party', EXTERNAL],
  ])('leaves the flag of %s as Flex set it while connected', (_who, callSid) => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external' }));
    const result = run.send(modified(callSid, true, 500));
    expect(result.effects).toEqual([]);
    expect(run.snapshot.context.participants[callSid]?.endConferenceOnExit).toBe(true);
  });

  it('also on a join that already carries the flag, for a known agent leg', () => {
    const run = new Run();
    run.send(registered());
    const result = run.send(joined(AGENT_CALL, { eoe: true }));
    expect(paramsOf(result.effects, 'keepInConference').map((p) => p.callSid)).toEqual([
      AGENT_CALL,
    ]);
    expect(run.send(joined(EXTERNAL, { eoe: true })).effects).toEqual([]);
  });

  it('keeps undoing it while the recovery runs', () => {
    const run = pinging();
    const result = run.send(modified(CUSTOMER, true));
    expect(paramsOf(result.effects, 'keepInConference').map((p) => p.callSid)).toEqual([CUSTOMER]);
    expect(run.snapshot.context.participants[CUSTOMER]?.endConferenceOnExit).toBe(true);
    const queued = reconnecting();
    expect(queued.send(modified(AGENT_CALL, true)).effects).toHaveLength(1);
  });

  it('asks for nothing when the flag is false, or the callback is stale', () => {
    const run = Run.connected();
    expect(run.send(modified(AGENT_CALL, false, 600)).effects).toEqual([]);
    const stale = run.send(modified(AGENT_CALL, true, 599));
    expect(stale.effects).toEqual([]);
    expect(stale.changed).toBe(false);
  });

  it('is asserted for the agent only at registration', () => {
    const run = new Run();
    const result = run.send(registered());
    expect(paramsOf(result.effects, 'keepInConference').map((p) => p.callSid)).toEqual([
      AGENT_CALL,
    ]);
  });
});
