import { describe, expect, it } from 'vitest';
import {
  CONF,
  CUSTOMER,
  ESCALATION_TASK,
  PING_TASK,
  RECONNECT_TASK,
  RESERVATION,
  TASK,
  WORKER,
  WORKER2,
  WORKFLOW,
  accepted,
  redialJoined,
  canceled,
  queueEntered,
  reconnectTimeoutEvent,
  tag,
} from '../fixtures.ts';
import { nameOf, paramsOf, pinging, reconnecting, typesOf } from '../support/scenarios.ts';

const id = `${CONF}:1`;
const escalationTag = tag('escalation');

function escalated() {
  const run = pinging();
  const result = run.send(canceled(PING_TASK, tag('ping')));
  return { run, result };
}

describe('escalated', () => {
  it('from pinging, queues the customer for any agent: no targetWorkerSid', () => {
    const { run, result } = escalated();
    expect(nameOf(run)).toBe('escalated');
    const [enqueue] = paramsOf(result.effects, 'enqueueCustomer');
    expect(enqueue).toMatchObject({
      key: `${id}:enqueue-escalation`,
      kind: 'escalation',
      callSid: CUSTOMER,
      workflowSid: WORKFLOW,
      priority: 1000,
    });
    expect(enqueue?.attributes).toMatchObject({
      isReconnect: true,
      escalated: true,
      originalTaskSid: TASK,
      lifeline: { conferenceSid: CONF, recoveryId: id, kind: 'escalation' },
    });
    expect(enqueue?.attributes).not.toHaveProperty('targetWorkerSid');
    expect(run.snapshot.context.recovery).toMatchObject({
      customerIn: 'queue',
      customerTaskKind: 'escalation',
    });
  });

  it('completes the original reservation when the escalation task is queued', () => {
    const { run } = escalated();
    const result = run.send(queueEntered(ESCALATION_TASK, escalationTag));
    expect(paramsOf(result.effects, 'completeReservation')).toEqual([
      { key: `${id}:complete-reservation`, taskSid: TASK, reservationSid: RESERVATION },
    ]);
  });

  it('is handled by another agent when another worker accepts', () => {
    const { run } = escalated();
    run.send(accepted(ESCALATION_TASK, escalationTag, WORKER2));
    const result = run.send(redialJoined(CUSTOMER));
    expect(nameOf(run)).toBe('handledByAnotherAgent');
    expect(result.effects).toEqual([]);
    expect(run.snapshot.context.outcome).toMatchObject({
      kind: 'ended',
      reason: 'handled-by-another-agent',
    });
    expect(run.snapshot.context.recovery?.acceptedByWorkerSid).toBe(WORKER2);
  });

  it('is recovered when the same worker accepts after all', () => {
    const { run } = escalated();
    run.send(accepted(ESCALATION_TASK, escalationTag, WORKER), redialJoined(CUSTOMER));
    expect(nameOf(run)).toBe('recovered');
    expect(run.snapshot.context.outcome).toMatchObject({ kind: 'recovered', workerSid: WORKER });
  });

  it('is abandoned when the customer task is canceled', () => {
    const { run } = escalated();
    const result = run.send(canceled(ESCALATION_TASK, escalationTag, 'hangup'));
    expect(nameOf(run)).toBe('abandoned');
    expect(typesOf(result)).toEqual(['endConference']);
  });

  it('completes a ping accepted too late, and stays escalated', () => {
    const { run } = escalated();
    const result = run.send(accepted(PING_TASK, tag('ping')));
    expect(paramsOf(result.effects, 'completeTask')).toEqual([
      expect.objectContaining({ taskSid: PING_TASK }),
    ]);
    expect(paramsOf(result.effects, 'enqueueCustomer')).toEqual([]);
    expect(nameOf(run)).toBe('escalated');
  });

  it('from reconnecting keeps the reconnect task, which any agent may now accept', () => {
    const run = reconnecting();
    const result = run.send(reconnectTimeoutEvent);
    expect(paramsOf(result.effects, 'enqueueCustomer')).toEqual([]);
    expect(run.snapshot.context.recovery?.customerTaskKind).toBe('reconnect');
    run.send(accepted(RECONNECT_TASK, tag('reconnect'), WORKER2), redialJoined(CUSTOMER));
    expect(nameOf(run)).toBe('handledByAnotherAgent');
  });
});
