import { describe, expect, it } from 'vitest';
import type { BridgeEnd, CustomerDequeued, JsonObject } from '../../src/index.ts';
import {
  bridgeEndOf,
  defaultConfig,
  requeueAfterLostBridge,
  requeueParams,
} from '../../src/index.ts';
import {
  AGENT_CALL,
  CUSTOMER,
  EXTERNAL,
  NEW_CONF,
  RECONNECT_TASK,
  Run,
  T0,
  CONF,
  RESERVATION,
  accepted,
  conferenceEnded,
  hungUp,
  joined,
  left,
  registered,
  redialJoined,
  tagOf,
} from '../fixtures.ts';
import {
  connectedWithThirdParties,
  nameOf,
  paramsOf,
  pinging,
  reconnecting,
} from '../support/scenarios.ts';

/**
 * A customer Lifeline queued is bridged into the accepting agent's new conference. Flex sets
 * endConferenceOnExit on the new agent leg and Lifeline undoes it a moment later: a reload in
 * between ends that conference, and the customer's Enqueue comes back (QueueResult=bridged)
 * with the caller still on the line. That caller is queued again, never dropped; an agent who
 * hung up through Flex ends the call as in Flex.
 */
const bridged = (
  bridgeEnd: BridgeEnd | null,
  callStatus = 'in-progress',
  callSid = CUSTOMER,
): CustomerDequeued => ({
  type: 'customer.dequeued',
  at: T0 + 30_000,
  callSid,
  queueResult: 'bridged',
  callStatus,
  bridgeEnd,
});

/** Re-dialing with an external party still to move: the customer is in the new conference. */
function redialingWithCustomerThere() {
  const run = reconnecting(pinging(connectedWithThirdParties()));
  run.send(accepted(RECONNECT_TASK, tagOf(run.snapshot, 'reconnect')));
  run.send(redialJoined(CUSTOMER));
  return run;
}

function recovered() {
  const run = reconnecting();
  run.send(accepted(RECONNECT_TASK, tagOf(run.snapshot, 'reconnect')));
  run.send(redialJoined(CUSTOMER));
  return run;
}

describe('a new conference lost under the customer', () => {
  it('during the re-dial: queues the customer again for any agent, through the callback answer', () => {
    const run = redialingWithCustomerThere();
    expect(nameOf(run)).toBe('redialing');
    const result = run.send(bridged('lost'));
    expect(nameOf(run)).toBe('escalated');
    // The callback's answer carries the Enqueue: no effect moves the call as well.
    expect(result.effects).toEqual([]);
    const params = requeueParams(run.snapshot.context);
    expect(params).toMatchObject({
      kind: 'escalation',
      callSid: CUSTOMER,
      priority: defaultConfig.reconnectPriority,
    });
    expect(params?.attributes).toMatchObject({ escalated: true });
    expect(params?.attributes).not.toHaveProperty('targetWorkerSid');
    expect(run.snapshot.context.recovery).toMatchObject({
      customerIn: 'queue',
      acceptedByWorkerSid: null,
      customerInNewConference: false,
      requeues: 1,
    });
    // The external party was not moved: it waits for whoever takes the customer now.
    expect(run.snapshot.context.recovery?.parties[EXTERNAL]?.status).toBe('waiting');
  });

  it('an unknown end counts as lost: the caller is on the line', () => {
    const run = redialingWithCustomerThere();
    run.send(bridged(null));
    expect(nameOf(run)).toBe('escalated');
  });

  it('does nothing when an agent hung up through Flex, or the caller is gone', () => {
    for (const event of [bridged('hung-up'), bridged('lost', 'completed')]) {
      const run = redialingWithCustomerThere();
      const result = run.send(event);
      expect(nameOf(run)).toBe('redialing');
      expect(result.effects).toEqual([]);
      expect(requeueParams(run.snapshot.context)).toBeNull();
    }
  });

  it('after the recovery ended: a finished recovery still answers for its customer', () => {
    const run = recovered();
    expect(nameOf(run)).toBe('recovered');
    const params = requeueAfterLostBridge(run.snapshot, bridged('lost'), NEW_CONF);
    const id = run.snapshot.context.recovery?.id ?? '';
    expect(params).toMatchObject({
      key: `${id}:enqueue-escalation:bridge-lost:${NEW_CONF}`,
      kind: 'escalation',
      callSid: CUSTOMER,
      priority: defaultConfig.reconnectPriority,
    });
    expect(params?.attributes).toMatchObject({ escalated: true });
  });

  it('after the recovery ended: nothing for a hang-up, a gone caller, another call or a live recovery', () => {
    const done = recovered();
    expect(requeueAfterLostBridge(done.snapshot, bridged('hung-up'), NEW_CONF)).toBeNull();
    expect(
      requeueAfterLostBridge(done.snapshot, bridged('lost', 'completed'), NEW_CONF),
    ).toBeNull();
    expect(
      requeueAfterLostBridge(done.snapshot, bridged('lost', 'in-progress', AGENT_CALL), NEW_CONF),
    ).toBeNull();
    const leave = { ...bridged('lost'), queueResult: 'leave' };
    expect(requeueAfterLostBridge(done.snapshot, leave, NEW_CONF)).toBeNull();
    expect(requeueAfterLostBridge(pinging().snapshot, bridged('lost'), NEW_CONF)).toBeNull();
  });
});

describe("how the bridged conference ended, read from that conference's recovery", () => {
  it('an agent hung up through Flex', () => {
    const run = Run.connected();
    run.send(hungUp(2));
    expect(nameOf(run)).toBe('graceful');
    expect(bridgeEndOf(run.snapshot)).toBe('hung-up');
  });

  it('an agent hung up in a bigger call, nobody dropped', () => {
    const run = connectedWithThirdParties();
    run.send(hungUp(4));
    expect(nameOf(run)).toBe('connected');
    expect(bridgeEndOf(run.snapshot)).toBe('hung-up');
  });

  it('a drop was seen, or nothing graceful was', () => {
    expect(bridgeEndOf(pinging().snapshot)).toBe('lost');
    expect(bridgeEndOf(Run.connected().snapshot)).toBe('lost');
    const run = connectedWithThirdParties();
    run.send(left(AGENT_CALL));
    expect(bridgeEndOf(run.snapshot)).toBe('lost');
  });

  it('no recovery known for that conference', () => {
    expect(bridgeEndOf(null)).toBeNull();
  });
});

describe('the task of a conference that ended under a customer a recovery queued', () => {
  /** The new conference's own recovery: its task is a reconnect task a recovery queued. */
  function onLifelineTask(kind: 'reconnect' | 'ping' | null) {
    const run = new Run();
    const attributes: JsonObject =
      kind === null
        ? { from: '+15550001111' }
        : { lifeline: { conferenceSid: CONF, recoveryId: `${CONF}:1`, kind } };
    run.send(
      registered({
        taskSid: RECONNECT_TASK,
        reservationSid: RESERVATION,
        taskAttributes: attributes,
      }),
      joined(CUSTOMER, { label: 'customer' }),
      joined(AGENT_CALL, { label: 'worker', eoe: true }),
    );
    return run;
  }

  it('is closed: the customer is queued again on another one', () => {
    const run = onLifelineTask('reconnect');
    run.send(left(AGENT_CALL));
    const result = run.send(conferenceEnded());
    expect(nameOf(run)).toBe('conferenceEnded');
    expect(paramsOf(result.effects, 'completeReservation')).toEqual([
      {
        key: `${CONF}:complete-lost:${RECONNECT_TASK}`,
        taskSid: RECONNECT_TASK,
        reservationSid: RESERVATION,
      },
    ]);
  });

  it('stays the agent’s to wrap up on any other call, as in Flex', () => {
    for (const kind of [null, 'ping'] as const) {
      const run = onLifelineTask(kind);
      run.send(left(AGENT_CALL));
      const result = run.send(conferenceEnded());
      expect(nameOf(run)).toBe('conferenceEnded');
      expect(paramsOf(result.effects, 'completeReservation')).toEqual([]);
    }
  });
});
