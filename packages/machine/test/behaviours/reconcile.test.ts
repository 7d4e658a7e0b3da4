import { describe, expect, it } from 'vitest';
import type { StepEvent } from '../../src/index.ts';
import { stateName } from '../../src/index.ts';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  EXTERNAL,
  Run,
  joined,
  left,
  modified,
  registered,
} from '../fixtures.ts';
import { nameOf, paramsOf, pinging, typesOf } from '../support/scenarios.ts';

const reconcile = (round: number): StepEvent => ({ type: 'reconcile.requested', at: 0, round });

/**
 * An instance that dies takes the callbacks Twilio was delivering to it along. The server
 * asks each live conference to reconcile when it starts: the machine names the calls it
 * believes present, and the answers come back as the callbacks that were lost.
 */
describe('reconcile with Twilio', () => {
  it('names the calls believed present, the customer first, with their last SequenceNumbers', () => {
    const run = Run.connected();
    // The customer joined first here too, but is listed first whatever the order of joins.
    run.send(joined(EXTERNAL, { label: 'external', seq: 40 }));
    run.send(modified(AGENT_CALL, true, 41));
    const result = run.send(reconcile(7));
    expect(result.changed).toBe(false);
    expect(nameOf(run)).toBe('connected');
    const [params] = paramsOf(result.effects, 'reconcileConference');
    expect(params?.key).toBe(`${CONF}:reconcile:7`);
    expect(params?.conferenceSid).toBe(CONF);
    expect(params?.highestSeq).toBe(41);
    expect(params?.calls.map((call) => call.callSid)).toEqual([CUSTOMER, AGENT_CALL, EXTERNAL]);
    expect(params?.calls[0]?.label).toBe('customer');
    expect(params?.calls.find((call) => call.callSid === AGENT_CALL)).toMatchObject({
      seq: 41,
      endConferenceOnExit: true,
      label: 'worker',
    });
  });

  it('lists the customer first even when the customer joined last', () => {
    const unregistered = new Run();
    unregistered.send(
      joined(AGENT_CALL, { label: 'worker', seq: 1 }),
      joined(CUSTOMER, { seq: 2 }),
    );
    // Nobody is known as the customer yet: the order of the record is kept.
    const unknown = paramsOf(unregistered.send(reconcile(1)).effects, 'reconcileConference')[0];
    expect(unknown?.calls.map((call) => call.callSid)).toEqual([AGENT_CALL, CUSTOMER]);
    const run = new Run();
    run.send(
      registered(),
      joined(AGENT_CALL, { label: 'worker', seq: 1 }),
      joined(CUSTOMER, { label: 'customer', seq: 2 }),
    );
    const known = paramsOf(run.send(reconcile(1)).effects, 'reconcileConference')[0];
    expect(known?.calls.map((call) => call.callSid)).toEqual([CUSTOMER, AGENT_CALL]);
  });

  it('leaves out the calls already seen leaving, and keys each round apart', () => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external', seq: 30 }), left(EXTERNAL, undefined, 31));
    const first = paramsOf(run.send(reconcile(1)).effects, 'reconcileConference')[0];
    expect(first?.calls.map((call) => call.callSid)).toEqual([CUSTOMER, AGENT_CALL]);
    expect(first?.highestSeq).toBe(31);
    const second = paramsOf(run.send(reconcile(2)).effects, 'reconcileConference')[0];
    expect(second?.key).not.toBe(first?.key);
  });

  it("starts the recovery from the agent's leave it reports, which no callback brought", () => {
    const run = Run.connected();
    const params = paramsOf(run.send(reconcile(1)).effects, 'reconcileConference')[0];
    // What the executor reports for the agent's leg missing, its call ended.
    const result = run.send(left(AGENT_CALL, 'participant_hung_up', (params?.highestSeq ?? 0) + 1));
    expect(stateName(result.snapshot)).toBe('pinging');
    expect(typesOf(result)).toContain('createPingTask');
  });

  it('is asked for during a recovery too, and ignored once the call is over', () => {
    const run = pinging();
    const during = run.send(reconcile(3));
    expect(typesOf(during)).toEqual(['reconcileConference']);
    // The agent's leg is gone already: only the customer is believed present.
    expect(paramsOf(during.effects, 'reconcileConference')[0]?.calls.map((c) => c.callSid)).toEqual(
      [CUSTOMER],
    );
    run.send(left(CUSTOMER, 'participant_hung_up'));
    expect(nameOf(run)).toBe('abandoned');
    const after = run.send(reconcile(4));
    expect(after.effects).toEqual([]);
    expect(after.changed).toBe(false);
  });
});
