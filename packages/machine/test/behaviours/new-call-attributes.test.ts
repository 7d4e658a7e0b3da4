import { describe, expect, it } from 'vitest';
import {
  AGENT_CALL,
  CONF,
  PING_TASK,
  RESERVATION,
  Run,
  T0,
  TASK,
  WORKER,
  accepted,
  left,
  pingCreateTimeoutEvent,
  registered,
  tag,
} from '../fixtures.ts';
import { paramsOf } from '../support/scenarios.ts';

/** Flex writes the old call's conference into the task after accept. */
function connectedWithFlexConference(): Run {
  const run = new Run();
  run.send(
    registered({
      taskAttributes: {
        from: '+15550001111',
        conference: { sid: CONF, participants: { customer: 'CA1', worker: AGENT_CALL } },
      },
    }),
  );
  return run;
}

const disconnection = {
  workerSid: WORKER,
  workerName: 'Alice',
  at: new Date(T0 + 1000).toISOString(),
  conferenceSid: CONF,
  reservationSid: RESERVATION,
  taskSid: TASK,
};

describe('reconnect and escalation tasks describe the new call', () => {
  it('drop the old conference and carry who dropped and when, on the reconnect task', () => {
    const run = connectedWithFlexConference();
    run.send(left(AGENT_CALL));
    const result = run.send(accepted(PING_TASK, tag('ping')));
    const [enqueue] = paramsOf(result.effects, 'enqueueCustomer');
    expect(enqueue?.attributes).not.toHaveProperty('conference');
    expect(enqueue?.attributes['disconnection']).toEqual(disconnection);
  });

  it('do the same on the escalation task', () => {
    const run = connectedWithFlexConference();
    run.send(left(AGENT_CALL));
    const result = run.send({ ...pingCreateTimeoutEvent });
    const [enqueue] = paramsOf(result.effects, 'enqueueCustomer');
    expect(enqueue?.kind).toBe('escalation');
    expect(enqueue?.attributes).not.toHaveProperty('conference');
    expect(enqueue?.attributes['disconnection']).toEqual(disconnection);
  });
});
