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

/** Flex sets endConferenceOnExit=true whenever two or fewer are live; Lifeline undoes it. */
describe('endConferenceOnExit reset undone', () => {
  it.each([
    ['the customer', CUSTOMER],
    ['the agent', AGENT_CALL],
    ['a third party', EXTERNAL],
  ])('asks to keep %s in the conference when Flex sets the flag', (_who, callSid) => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external' }));
    const result = run.send(modified(callSid, true, 500));
    expect(paramsOf(result.effects, 'keepInConference')).toEqual([
      { key: `${CONF}:keep:${callSid}:reset-500`, conferenceSid: CONF, callSid },
    ]);
  });

  it('also on a join that already carries the flag', () => {
    const run = Run.connected();
    const result = run.send(joined(EXTERNAL, { eoe: true }));
    expect(paramsOf(result.effects, 'keepInConference').map((p) => p.callSid)).toEqual([EXTERNAL]);
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
    expect(run.send(modified(CUSTOMER, false, 600)).effects).toEqual([]);
    const stale = run.send(modified(CUSTOMER, true, 599));
    expect(stale.effects).toEqual([]);
    expect(stale.changed).toBe(false);
  });

  it('is asserted for customer and agent at registration', () => {
    const run = new Run();
    const result = run.send(registered());
    expect(paramsOf(result.effects, 'keepInConference').map((p) => p.callSid)).toEqual([
      CUSTOMER,
      AGENT_CALL,
    ]);
  });
});
