import { describe, expect, it } from 'vitest';
import type { RecoveryEvent } from '../../src/index.ts';
import {
  AGENT2_CALL,
  CONF,
  CUSTOMER,
  NEW_CONF,
  RECONNECT_TASK,
  T0,
  WORKER,
  accepted,
  customerCallGone,
  redialJoined,
  redialTimeoutEvent,
  tagOf,
} from '../fixtures.ts';
import { nameOf, paramsOf, reconnecting, typesOf } from '../support/scenarios.ts';

/**
 * An accepted customer task is not a connected call: the agent's page can reload again
 * between the accept and the call ringing, and the customer then waits in the queue of a task
 * assigned to nobody who can answer. The recovery ends only once the customer is seen with
 * whoever accepted; without a sign, it asks Twilio.
 */
function acceptedWithoutJoin() {
  const run = reconnecting();
  run.send(accepted(RECONNECT_TASK, tagOf(run.snapshot, 'reconnect')));
  return run;
}

const located = (run: ReturnType<typeof reconnecting>, where: 'new-conference' | 'elsewhere') =>
  ({
    type: 'effect.customerLocated',
    at: T0 + 40_000,
    recoveryId: run.snapshot.context.recovery?.id ?? '',
    where,
  }) satisfies RecoveryEvent;

describe('an accept whose call never comes together', () => {
  it('waits for the customer in the new conference, then asks Twilio where the customer is', () => {
    const run = acceptedWithoutJoin();
    expect(nameOf(run)).toBe('redialing');
    const timeout = run.send(redialTimeoutEvent);
    expect(nameOf(run)).toBe('locating');
    const id = run.snapshot.context.recovery?.id ?? '';
    expect(paramsOf(timeout.effects, 'locateCustomer')).toEqual([
      {
        key: `${id}:locate:${RECONNECT_TASK}`,
        recoveryId: id,
        conferenceName: RECONNECT_TASK,
        customerCallSid: CUSTOMER,
      },
    ]);
  });

  it('is recovered when Twilio finds the customer in the new conference (its callbacks were lost)', () => {
    const run = acceptedWithoutJoin();
    run.send(redialTimeoutEvent);
    run.send(located(run, 'new-conference'));
    expect(nameOf(run)).toBe('recovered');
    expect(run.snapshot.context.outcome).toMatchObject({ kind: 'recovered', workerSid: WORKER });
  });

  it('is recovered when the join arrives while Twilio is being asked', () => {
    const run = acceptedWithoutJoin();
    run.send(redialTimeoutEvent);
    run.send(redialJoined(CUSTOMER));
    expect(nameOf(run)).toBe('recovered');
  });

  it('closes the stranded task and queues the customer again for any agent when still queued', () => {
    const run = acceptedWithoutJoin();
    run.send(redialTimeoutEvent);
    const id = run.snapshot.context.recovery?.id ?? '';
    const result = run.send(located(run, 'elsewhere'));
    expect(nameOf(run)).toBe('escalated');
    expect(typesOf(result)).toEqual(['completeTask', 'enqueueCustomer']);
    expect(paramsOf(result.effects, 'completeTask')).toEqual([
      {
        key: `${id}:complete-stranded:${RECONNECT_TASK}`,
        taskSid: RECONNECT_TASK,
        reason: "The agent's call never reached the customer: queued again",
      },
    ]);
    const [enqueue] = paramsOf(result.effects, 'enqueueCustomer');
    expect(enqueue).toMatchObject({ key: `${id}:enqueue-escalation:1`, kind: 'escalation' });
    expect(enqueue?.attributes['targetWorkerSid']).toBeUndefined();
    expect(run.snapshot.context.recovery).toMatchObject({
      customerIn: 'queue',
      customerTaskKind: 'escalation',
      customerTaskSid: null,
      acceptedByWorkerSid: null,
      newConferenceName: null,
      customerInNewConference: false,
      requeues: 1,
    });
  });

  it('recovers through the escalation task after a stranded accept', () => {
    const run = acceptedWithoutJoin();
    run.send(redialTimeoutEvent);
    run.send(located(run, 'elsewhere'));
    const escalation = 'WT' + 'e'.repeat(32);
    run.send(accepted(escalation, tagOf(run.snapshot, 'escalation')));
    expect(nameOf(run)).toBe('redialing');
    expect(run.snapshot.context.recovery?.newConferenceName).toBe(escalation);
    run.send(redialJoined(CUSTOMER));
    expect(nameOf(run)).toBe('recovered');
  });

  it('is abandoned when the customer call is gone', () => {
    const run = acceptedWithoutJoin();
    run.send(redialTimeoutEvent);
    run.send(customerCallGone(run.snapshot.context.recovery?.id ?? ''));
    expect(nameOf(run)).toBe('abandoned');
  });

  it('ends the new conference too when the customer is gone and the agent waits in it', () => {
    const run = acceptedWithoutJoin();
    run.send(redialJoined(AGENT2_CALL));
    run.send(redialTimeoutEvent);
    const id = run.snapshot.context.recovery?.id ?? '';
    const result = run.send(customerCallGone(id));
    expect(nameOf(run)).toBe('abandoned');
    expect(paramsOf(result.effects, 'endConference')).toEqual([
      { key: `${id}:end-conference`, conferenceSid: CONF, reason: 'Customer hung up' },
      {
        key: `${id}:end-new-conference:${NEW_CONF}`,
        conferenceSid: NEW_CONF,
        reason: 'Customer hung up before the re-dial came together',
      },
    ]);
  });
});
