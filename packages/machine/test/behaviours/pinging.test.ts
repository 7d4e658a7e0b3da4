import { describe, expect, it } from 'vitest';
import {
  CONF,
  CUSTOMER,
  PING_TASK,
  TASK,
  WORKER,
  WORKER2,
  accepted,
  canceled,
  customerCallGone,
  left,
  pingCreateTimeoutEvent,
  pingTaskCreated,
  pingTimeoutEvent,
  sidOf,
  tag,
  taskCreated,
} from '../fixtures.ts';
import { nameOf, paramsOf, pinging, typesOf } from '../support/scenarios.ts';

const id = `${CONF}:1`;

describe('pinging', () => {
  it('asks for a Recovery Ping task for the disconnected worker, bounding its creation', () => {
    const run = pinging();
    const drop = run.steps.at(-1);
    expect(nameOf(run)).toBe('pinging');
    expect(paramsOf(drop?.effects ?? [], 'createPingTask')).toEqual([
      {
        key: `${id}:ping`,
        recoveryId: id,
        workerSid: WORKER,
        priority: 1000,
        timeoutS: 15,
        attributes: {
          name: 'Recovery Ping',
          disconnectedWorkerSid: WORKER,
          disconnectedWorkerName: 'Alice',
          conferenceSid: CONF,
          originalTaskSid: TASK,
          customerCallSid: CUSTOMER,
          lifeline: { conferenceSid: CONF, recoveryId: id, kind: 'ping' },
        },
      },
    ]);
    expect(drop?.schedule).toEqual([
      { id: pingCreateTimeoutEvent.type, event: pingCreateTimeoutEvent, delayMs: 30_000 },
    ]);
  });

  it("starts the agent's time to accept when the ping task exists, as its TTL does", () => {
    const run = pinging();
    const created = run.send(pingTaskCreated(id));
    expect(run.state).toEqual({ recovering: { pinging: 'offered' } });
    expect(nameOf(run)).toBe('pinging');
    expect(created.cancel).toEqual([pingCreateTimeoutEvent.type]);
    expect(created.schedule).toEqual([
      { id: pingTimeoutEvent.type, event: pingTimeoutEvent, delayMs: 20_000 },
    ]);
    // Heard again from Event Streams: the clock is not restarted.
    const again = run.send(taskCreated(PING_TASK, tag('ping')));
    expect(again.schedule).toEqual([]);
    expect(again.cancel).toEqual([]);
  });

  it('starts it just the same when Event Streams reports the task before its create returns', () => {
    const run = pinging();
    const seen = run.send(taskCreated(PING_TASK, tag('ping')));
    expect(run.state).toEqual({ recovering: { pinging: 'offered' } });
    expect(seen.schedule).toEqual([
      { id: pingTimeoutEvent.type, event: pingTimeoutEvent, delayMs: 20_000 },
    ]);
    expect(run.send(pingTaskCreated(id)).changed).toBe(false);
  });

  it('escalates when the ping task cannot be created in time, canceling it once created', () => {
    const run = pinging();
    const result = run.send(pingCreateTimeoutEvent);
    expect(nameOf(run)).toBe('escalated');
    expect(paramsOf(result.effects, 'cancelTask')).toMatchObject([
      { recoveryId: id, kind: 'ping', taskSid: null, createdBy: `${id}:ping` },
    ]);
    expect(paramsOf(result.effects, 'enqueueCustomer')).toMatchObject([{ kind: 'escalation' }]);
  });

  it('ignores the ping timeout while the task is still being created', () => {
    const run = pinging();
    expect(run.send(pingTimeoutEvent).changed).toBe(false);
    expect(run.state).toEqual({ recovering: { pinging: 'creating' } });
  });

  it('records the ping task when its creation is reported', () => {
    const run = pinging();
    run.send(pingTaskCreated(id));
    expect(run.snapshot.context.recovery?.pingTaskSid).toBe(PING_TASK);
    const again = run.send(taskCreated(PING_TASK, tag('ping')));
    expect(again.changed).toBe(false);
  });

  it('cancels a second ping task of the recovery (a create whose answer was lost went through)', () => {
    const extra = sidOf('WT', 99);
    const run = pinging();
    run.send(pingTaskCreated(id));
    const created = run.send(taskCreated(extra, tag('ping')));
    const cancel = {
      key: `${id}:cancel-extra-ping:${extra}`,
      recoveryId: id,
      kind: 'ping',
      taskSid: extra,
      reason: 'Duplicate Recovery Ping',
      createdBy: null,
    };
    expect(paramsOf(created.effects, 'cancelTask')).toEqual([cancel]);
    expect(run.snapshot.context.recovery?.pingTaskSid).toBe(PING_TASK);
    // Accepted before the cancel landed: still not the recovery's ping (the cancel completes it).
    const acceptedExtra = run.send(accepted(extra, tag('ping')));
    expect(nameOf(run)).toBe('pinging');
    expect(paramsOf(acceptedExtra.effects, 'cancelTask')).toEqual([cancel]);
    run.send(accepted(PING_TASK, tag('ping')));
    expect(nameOf(run)).toBe('reconnecting');
    // Its creation reported after the other's event: the same cancel, in any step.
    expect(paramsOf(run.send(pingTaskCreated(id, extra)).effects, 'cancelTask')).toEqual([cancel]);
  });

  it('keeps the first ping task it hears of, from Event Streams or from its effect', () => {
    const extra = sidOf('WT', 99);
    const run = pinging();
    run.send(taskCreated(extra, tag('ping')));
    const reported = run.send(pingTaskCreated(id));
    expect(run.snapshot.context.recovery?.pingTaskSid).toBe(extra);
    expect(paramsOf(reported.effects, 'cancelTask')).toMatchObject([{ taskSid: PING_TASK }]);
  });

  it('moves to reconnecting when the worker accepts the ping', () => {
    const run = pinging();
    const result = run.send(accepted(PING_TASK, tag('ping')));
    expect(nameOf(run)).toBe('reconnecting');
    expect(result.cancel).toEqual([pingCreateTimeoutEvent.type]);
  });

  it('moves to reconnecting from an offered ping, dropping its timeout', () => {
    const run = pinging();
    run.send(pingTaskCreated(id));
    const result = run.send(accepted(PING_TASK, tag('ping')));
    expect(nameOf(run)).toBe('reconnecting');
    expect(result.cancel).toEqual([pingTimeoutEvent.type]);
  });

  it('ignores a ping accepted by another worker or from another recovery', () => {
    const run = pinging();
    expect(run.send(accepted(PING_TASK, tag('ping'), WORKER2)).changed).toBe(false);
    expect(run.send(accepted(PING_TASK, tag('ping', 0))).changed).toBe(false);
    expect(nameOf(run)).toBe('pinging');
  });

  it('escalates when the ping is canceled (TTL), with nothing left to cancel', () => {
    const run = pinging();
    const result = run.send(canceled(PING_TASK, tag('ping'), 'Task TTL Exceeded'));
    expect(nameOf(run)).toBe('escalated');
    expect(paramsOf(result.effects, 'cancelTask')).toEqual([]);
  });

  it('escalates on its own timeout and cancels the ping', () => {
    const run = pinging();
    run.send(pingTaskCreated(id));
    const result = run.send(pingTimeoutEvent);
    expect(nameOf(run)).toBe('escalated');
    expect(paramsOf(result.effects, 'cancelTask')).toEqual([
      {
        key: `${id}:cancel-ping`,
        recoveryId: id,
        kind: 'ping',
        taskSid: PING_TASK,
        reason: 'Agent not reachable in time',
        createdBy: null,
      },
    ]);
  });

  it('cancels by recovery id, once the create has run, when the ping task SID is not known yet', () => {
    const run = pinging();
    const result = run.send(pingCreateTimeoutEvent);
    expect(paramsOf(result.effects, 'cancelTask')).toMatchObject([
      { recoveryId: id, kind: 'ping', taskSid: null, createdBy: `${id}:ping` },
    ]);
  });

  it('is abandoned when the customer hangs up: cancels the ping and ends the conference', () => {
    const run = pinging();
    run.send(pingTaskCreated(id));
    const result = run.send(left(CUSTOMER));
    expect(nameOf(run)).toBe('abandoned');
    expect(run.snapshot.status).toBe('done');
    expect(typesOf(result)).toEqual(['cancelTask', 'endConference']);
    expect(paramsOf(result.effects, 'cancelTask')).toMatchObject([
      { kind: 'ping', taskSid: PING_TASK, reason: 'Customer hung up' },
    ]);
    expect(paramsOf(result.effects, 'endConference')).toEqual([
      { key: `${id}:end-conference`, conferenceSid: CONF, reason: 'Customer hung up' },
    ]);
    expect(run.snapshot.context.outcome).toMatchObject({ kind: 'ended', reason: 'abandoned' });
  });

  it('is abandoned when the runner finds the customer call already gone', () => {
    const run = pinging();
    run.send(customerCallGone(id));
    expect(nameOf(run)).toBe('abandoned');
  });

  it('ends with the conference when the customer leaves because it ended', () => {
    const run = pinging();
    const result = run.send(left(CUSTOMER, 'conference_ended_via_api'));
    expect(nameOf(run)).toBe('conferenceEnded');
    expect(typesOf(result)).toEqual(['cancelTask']);
  });
});
