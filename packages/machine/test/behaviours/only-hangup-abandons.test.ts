import { describe, expect, it } from 'vitest';
import type { StepEvent } from '../../src/index.ts';
import { requeueParams, stateName } from '../../src/index.ts';
import {
  CONF,
  CUSTOMER,
  RECONNECT_TASK,
  accepted,
  conferenceEnded,
  redialJoined,
  canceled,
  queueEntered,
  tag,
} from '../fixtures.ts';
import { paramsOf, pinging, reconnecting } from '../support/scenarios.ts';

const dequeued = (queueResult: string): StepEvent => ({
  type: 'customer.dequeued',
  at: 5000,
  callSid: CUSTOMER,
  queueResult,
  callStatus: queueResult === 'hangup' ? 'completed' : 'in-progress',
  bridgeEnd: null,
});

describe('only a hang-up is an abandonment', () => {
  it.each(['Task TTL Exceeded', 'Workflow Timeout', 'canceled via API', null])(
    'a customer task canceled for %s is not "the customer hung up"',
    (reason) => {
      const run = reconnecting();
      run.send(queueEntered(RECONNECT_TASK, tag('reconnect')));
      const result = run.send({ ...canceled(RECONNECT_TASK, tag('reconnect')), reason });
      expect(stateName(run.snapshot)).toBe('reconnecting');
      expect(result.effects).toEqual([]);
    },
  );

  it('the caller still on the line after the Enqueue ends is queued again for anyone', () => {
    const run = reconnecting();
    run.send(canceled(RECONNECT_TASK, tag('reconnect'), 'Task TTL Exceeded'));
    const result = run.send(dequeued('leave'));
    expect(stateName(run.snapshot)).toBe('escalated');
    // The server answers the action callback with this Enqueue: no effect moves the call.
    expect(result.effects).toEqual([]);
    const params = requeueParams(run.snapshot.context);
    expect(params).toMatchObject({
      key: `${CONF}:1:enqueue-escalation:1`,
      kind: 'escalation',
      callSid: CUSTOMER,
      attributes: { escalated: true, lifeline: tag('escalation') },
    });
    expect(params?.attributes).not.toHaveProperty('targetWorkerSid');
    // And once more if that queue ends too: a new key each time.
    run.send(dequeued('error'));
    expect(requeueParams(run.snapshot.context)?.key).toBe(`${CONF}:1:enqueue-escalation:2`);
    // Whoever accepts the requeued task has the customer.
    run.send(
      accepted(RECONNECT_TASK, tag('escalation'), 'WK00000000000000000000000000000009'),
      redialJoined(CUSTOMER),
    );
    expect(stateName(run.snapshot)).toBe('handledByAnotherAgent');
  });

  it('a hang-up, by task reason or by QueueResult, abandons', () => {
    const byTask = reconnecting();
    byTask.send(canceled(RECONNECT_TASK, tag('reconnect'), 'hangup'));
    expect(stateName(byTask.snapshot)).toBe('abandoned');

    const byQueue = reconnecting();
    const result = byQueue.send(dequeued('hangup'));
    expect(stateName(byQueue.snapshot)).toBe('abandoned');
    expect(paramsOf(result.effects, 'endConference')).toHaveLength(1);
  });

  it('a bridged or redirected Enqueue changes nothing', () => {
    const run = reconnecting();
    expect(run.send(dequeued('bridged')).changed).toBe(false);
    expect(run.send(dequeued('redirected')).changed).toBe(false);
    expect(requeueParams(run.snapshot.context)).toBeNull();
  });

  it('a conference the held customer ended, their leave still on the way, is an abandonment', () => {
    const run = pinging();
    const ended = {
      ...conferenceEnded(),
      reason: 'last-participant-left',
      callSidEnding: CUSTOMER,
    };
    run.send(ended);
    expect(stateName(run.snapshot)).toBe('abandoned');
    expect(run.snapshot.context.outcome).toMatchObject({ kind: 'ended', reason: 'abandoned' });
    // Ended by anyone else (or without saying who), it is the conference that ended.
    const other = pinging();
    other.send({ ...conferenceEnded(), reason: 'conference-ended-via-api', callSidEnding: null });
    expect(stateName(other.snapshot)).toBe('conferenceEnded');
  });
});
