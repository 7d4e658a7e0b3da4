import { describe, expect, it } from 'vitest';
import type { StepEvent } from '../../src/index.ts';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  EXTERNAL,
  PING_TASK,
  RECONNECT_TASK,
  Run,
  accepted,
  redialJoined,
  joined,
  left,
  modified,
  partyMoved,
  pingTaskCreated,
  pingTimeoutEvent,
  queueEntered,
  reconnectTimeoutEvent,
  registered,
  tag,
  taskCreated,
} from '../fixtures.ts';
import { connectedWithThirdParties, pinging, reconnecting } from '../support/scenarios.ts';

const id = `${CONF}:1`;

/** Delivers `event` again (or an older one) and expects nothing to change. */
function expectNoChange(run: Run, event: StepEvent) {
  const before = run.snapshot;
  const result = run.send(event);
  expect(result.changed).toBe(false);
  expect(result.snapshot.value).toEqual(before.value);
  expect(result.snapshot.context).toEqual(before.context);
  return result;
}

describe('duplicates and stale sequence numbers', () => {
  it('ignore a participant callback older than what is known of that call', () => {
    const run = Run.connected();
    run.send(modified(CUSTOMER, false, 50));
    expectNoChange(run, modified(CUSTOMER, true, 49));
    expectNoChange(run, left(CUSTOMER, 'participant_hung_up', 48));
    expectNoChange(run, joined(CUSTOMER, { seq: 50 }));
  });

  it('ignore a repeated leave, while connected and during recovery', () => {
    const run = connectedWithThirdParties();
    const leave = left(EXTERNAL);
    run.send(leave);
    expectNoChange(run, leave);
    const drop = left(AGENT_CALL);
    run.send(drop);
    expect(expectNoChange(run, drop).effects).toEqual([]);
  });

  it('ignore a repeated registration', () => {
    const run = Run.connected();
    expectNoChange(run, registered());
  });

  it.each([
    ['the ping creation report', pingTaskCreated(id)],
    ['task.created of the ping', taskCreated(PING_TASK, tag('ping'))],
  ])('ignore a repeat of %s', (_what, event) => {
    const run = pinging();
    run.send(event);
    expect(expectNoChange(run, event).effects).toEqual([]);
  });

  it('ignore repeated TaskRouter events for the customer task', () => {
    const run = reconnecting();
    const entered = queueEntered(RECONNECT_TASK, tag('reconnect'));
    run.send(taskCreated(RECONNECT_TASK, tag('reconnect')), entered);
    expect(expectNoChange(run, entered).effects).toEqual([]);
    expectNoChange(run, taskCreated(RECONNECT_TASK, tag('reconnect')));
    expectNoChange(run, accepted(PING_TASK, tag('ping')));
  });

  it('ignore timers that fire late or twice', () => {
    const run = reconnecting();
    expectNoChange(run, pingTimeoutEvent);
    run.send(reconnectTimeoutEvent);
    expectNoChange(run, reconnectTimeoutEvent);
  });

  it('ignore a repeated party result', () => {
    const run = reconnecting(pinging(connectedWithThirdParties()));
    run.send(accepted(RECONNECT_TASK, tag('reconnect')), partyMoved(id, EXTERNAL));
    expectNoChange(run, partyMoved(id, EXTERNAL));
  });

  it('ignore anything once the call reached a final state', () => {
    const run = reconnecting();
    run.send(accepted(RECONNECT_TASK, tag('reconnect')), redialJoined(CUSTOMER));
    expect(run.snapshot.status).toBe('done');
    expectNoChange(run, left(CUSTOMER));
    expectNoChange(run, accepted(RECONNECT_TASK, tag('reconnect')));
  });
});
