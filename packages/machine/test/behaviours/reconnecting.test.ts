import { describe, expect, it } from 'vitest';
import {
  CONF,
  CUSTOMER,
  PING_TASK,
  RECONNECT_TASK,
  RESERVATION,
  T0,
  TASK,
  WORKER,
  WORKER2,
  WORKFLOW,
  accepted,
  redialJoined,
  canceled,
  conferenceEnded,
  left,
  queueEntered,
  reconnectTimeoutEvent,
  tag,
  taskCreated,
} from '../fixtures.ts';
import {
  connectedWithThirdParties,
  nameOf,
  paramsOf,
  pinging,
  reconnecting,
  typesOf,
} from '../support/scenarios.ts';

const id = `${CONF}:1`;
const reconnectTag = tag('reconnect');

describe('reconnecting', () => {
  it('completes the ping and queues the customer for the same worker at raised priority', () => {
    const run = pinging();
    const result = run.send(accepted(PING_TASK, tag('ping')));

    expect(nameOf(run)).toBe('reconnecting');
    expect(paramsOf(result.effects, 'completeTask')).toEqual([
      { key: `${id}:complete-ping`, taskSid: PING_TASK, reason: 'Recovery Ping answered' },
    ]);
    expect(paramsOf(result.effects, 'enqueueCustomer')).toEqual([
      {
        key: `${id}:enqueue-reconnect`,
        recoveryId: id,
        kind: 'reconnect',
        callSid: CUSTOMER,
        workflowSid: WORKFLOW,
        priority: 1000,
        attributes: {
          from: '+15550001111',
          // Insights: the same conversation, now preceded by the disconnect.
          conversations: { conversation_id: TASK, preceded_by: 'Agent Disconnect' },
          originalTaskSid: TASK,
          disconnection: {
            workerSid: WORKER,
            workerName: 'Alice',
            at: new Date(T0 + 1000).toISOString(),
            conferenceSid: CONF,
            reservationSid: RESERVATION,
            taskSid: TASK,
          },
          isReconnect: true,
          targetWorkerSid: WORKER,
          lifeline: { conferenceSid: CONF, recoveryId: id, kind: 'reconnect' },
        },
      },
    ]);
    expect(result.schedule.map((s) => s.delayMs)).toEqual([60_000]);
    expect(run.snapshot.context.recovery).toMatchObject({
      customerIn: 'queue',
      customerTaskKind: 'reconnect',
    });
  });

  it('completes the original reservation once the customer is queued, and not twice', () => {
    const run = reconnecting();
    const first = run.send(queueEntered(RECONNECT_TASK, reconnectTag));
    expect(paramsOf(first.effects, 'completeReservation')).toEqual([
      { key: `${id}:complete-reservation`, taskSid: TASK, reservationSid: RESERVATION },
    ]);
    expect(run.snapshot.context.recovery?.customerTaskSid).toBe(RECONNECT_TASK);

    const duplicate = run.send(queueEntered(RECONNECT_TASK, reconnectTag));
    expect(duplicate.effects).toEqual([]);
    expect(duplicate.changed).toBe(false);
    expect(run.effectsOf('completeReservation')).toHaveLength(1);
  });

  it('records the reconnect task when it is created', () => {
    const run = reconnecting();
    const result = run.send(taskCreated(RECONNECT_TASK, reconnectTag));
    expect(result.effects).toEqual([]);
    expect(run.snapshot.context.recovery?.customerTaskSid).toBe(RECONNECT_TASK);
  });

  it('is recovered when the same worker accepts and the customer is seen in the new conference', () => {
    const run = reconnecting();
    const accept = run.send(accepted(RECONNECT_TASK, reconnectTag));
    // An accept is not a connection: the agent's leg may never arrive.
    expect(nameOf(run)).toBe('redialing');
    expect(typesOf(accept)).toEqual(['collectRedialJoins']);
    expect(run.snapshot.context.recovery?.newConferenceName).toBe(RECONNECT_TASK);
    const result = run.send(redialJoined(CUSTOMER));
    expect(nameOf(run)).toBe('recovered');
    expect(run.snapshot.status).toBe('done');
    expect(result.effects).toEqual([]);
    expect(run.snapshot.context.outcome).toMatchObject({ kind: 'recovered', workerSid: WORKER });
  });

  it('redials when third parties are waiting in the old conference', () => {
    const run = reconnecting(pinging(connectedWithThirdParties()));
    run.send(accepted(RECONNECT_TASK, reconnectTag));
    expect(nameOf(run)).toBe('redialing');
  });

  it('escalates on its timeout by widening the queued task, not moving the call', () => {
    const run = reconnecting();
    run.send(taskCreated(RECONNECT_TASK, reconnectTag));
    const result = run.send(reconnectTimeoutEvent);
    expect(nameOf(run)).toBe('escalated');
    expect(typesOf(result)).toEqual(['retargetTask']);
    expect(paramsOf(result.effects, 'retargetTask')).toEqual([
      {
        key: `${id}:retarget`,
        recoveryId: id,
        kind: 'reconnect',
        taskSid: RECONNECT_TASK,
        removeAttributes: ['targetWorkerSid'],
        setAttributes: { escalated: true },
        priority: 1000,
      },
    ]);
  });

  it('is abandoned when the reconnect task is canceled (the customer hung up in the queue)', () => {
    const run = reconnecting();
    const result = run.send(canceled(RECONNECT_TASK, reconnectTag, 'hangup'));
    expect(nameOf(run)).toBe('abandoned');
    expect(typesOf(result)).toEqual(['endConference']);
    expect(run.snapshot.context.outcome).toMatchObject({ reason: 'abandoned' });
  });

  it('ignores a cancel of a task from another recovery', () => {
    const run = reconnecting();
    expect(run.send(canceled(RECONNECT_TASK, tag('reconnect', 0))).changed).toBe(false);
    expect(nameOf(run)).toBe('reconnecting');
  });

  it('on a hang-up before the enqueue took, cancels the reconnect task but not the answered ping', () => {
    const run = reconnecting();
    const result = run.send(left(CUSTOMER));
    expect(nameOf(run)).toBe('abandoned');
    expect(paramsOf(result.effects, 'cancelTask')).toEqual([
      {
        key: `${id}:cancel-reconnect`,
        recoveryId: id,
        kind: 'reconnect',
        taskSid: null,
        reason: 'Customer hung up',
        createdBy: null,
      },
    ]);
    expect(typesOf(result)).toContain('endConference');
  });

  it('takes the customer leaving the old conference for the queue as no hang-up', () => {
    const run = reconnecting();
    const result = run.send(left(CUSTOMER, 'participant_updated_via_api'));
    expect(nameOf(run)).toBe('reconnecting');
    expect(result.effects).toEqual([]);
    // The old conference then ends by itself: the customer is in the queue, not gone.
    run.send(conferenceEnded());
    expect(nameOf(run)).toBe('reconnecting');
  });

  it('leaves the customer to another agent who accepts the reconnect task', () => {
    const run = reconnecting();
    run.send(accepted(RECONNECT_TASK, reconnectTag, WORKER2));
    run.send(redialJoined(CUSTOMER));
    expect(nameOf(run)).toBe('handledByAnotherAgent');
  });
});
