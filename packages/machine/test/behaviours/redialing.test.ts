import { describe, expect, it } from 'vitest';
import {
  CONF,
  CUSTOMER,
  ESCALATION_TASK,
  EXTERNAL,
  PING_TASK,
  RECONNECT_TASK,
  SUPERVISOR,
  WORKER2,
  accepted,
  canceled,
  conferenceEnded,
  customerCallGone,
  left,
  partyMoveFailed,
  partyMoved,
  tag,
} from '../fixtures.ts';
import {
  connectedWithThirdParties,
  nameOf,
  paramsOf,
  pinging,
  reconnecting,
} from '../support/scenarios.ts';

const id = `${CONF}:1`;

function redialing() {
  const run = reconnecting(pinging(connectedWithThirdParties()));
  const result = run.send(accepted(RECONNECT_TASK, tag('reconnect')));
  return { run, result };
}

describe('redialing', () => {
  it('moves every party into the new conference with its label and original endConferenceOnExit', () => {
    const { run, result } = redialing();
    expect(nameOf(run)).toBe('redialing');
    expect(paramsOf(result.effects, 'moveParticipant')).toEqual([
      {
        key: `${id}:move:${EXTERNAL}`,
        recoveryId: id,
        callSid: EXTERNAL,
        conferenceName: RECONNECT_TASK,
        label: 'external',
        endConferenceOnExit: false,
        muted: false,
      },
      {
        key: `${id}:move:${SUPERVISOR}`,
        recoveryId: id,
        callSid: SUPERVISOR,
        conferenceName: RECONNECT_TASK,
        label: 'supervisor',
        endConferenceOnExit: true,
        muted: false,
      },
    ]);
    expect(
      Object.values(run.snapshot.context.recovery?.parties ?? {}).map((p) => p.status),
    ).toEqual(['moving', 'moving']);
  });

  it('is recovered once every party joined or failed; a failure is recorded, not blocking', () => {
    const { run } = redialing();
    run.send(partyMoved(id, EXTERNAL));
    expect(nameOf(run)).toBe('redialing');

    run.send(partyMoveFailed(id, SUPERVISOR, 'busy'));
    expect(nameOf(run)).toBe('recovered');
    expect(run.snapshot.context.recovery?.parties[SUPERVISOR]).toMatchObject({
      status: 'failed',
      error: 'busy',
    });
    expect(run.snapshot.context.recovery?.parties[EXTERNAL]?.status).toBe('joined');
  });

  it('does not dial back a party that hung up while the customer waited', () => {
    const run = reconnecting(pinging(connectedWithThirdParties()));
    run.send(left(SUPERVISOR));
    expect(run.snapshot.context.recovery?.parties[SUPERVISOR]?.status).toBe('gone');
    const result = run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    expect(paramsOf(result.effects, 'moveParticipant').map((p) => p.callSid)).toEqual([EXTERNAL]);
    run.send(partyMoved(id, EXTERNAL));
    expect(nameOf(run)).toBe('recovered');
  });

  it('goes straight to recovered when every party has hung up', () => {
    const run = reconnecting(pinging(connectedWithThirdParties()));
    run.send(left(SUPERVISOR), left(EXTERNAL));
    run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    expect(nameOf(run)).toBe('recovered');
  });

  it('ignores results from another recovery and the customer leaving the old conference', () => {
    const { run } = redialing();
    expect(run.send(partyMoved(`${CONF}:0`, EXTERNAL)).changed).toBe(false);
    const leave = run.send(left(CUSTOMER, 'participant_hung_up'));
    expect(leave.effects).toEqual([]);
    expect(run.send(customerCallGone(id)).changed).toBe(false);
    expect(nameOf(run)).toBe('redialing');
  });

  it('stops waiting for move results once the old conference has ended', () => {
    const { run } = redialing();
    run.send(partyMoved(id, EXTERNAL));
    const end = run.send(conferenceEnded());
    expect(end.effects).toEqual([]);
    expect(nameOf(run)).toBe('recovered');
    expect(run.snapshot.context.outcome).toMatchObject({ kind: 'recovered' });
  });

  it('hands the call to another agent who accepted the escalation, once parties settle', () => {
    const run = pinging(connectedWithThirdParties());
    run.send(canceled(PING_TASK, tag('ping')));
    const result = run.send(accepted(ESCALATION_TASK, tag('escalation'), WORKER2));
    expect(nameOf(run)).toBe('redialing');
    expect(paramsOf(result.effects, 'moveParticipant').map((p) => p.conferenceName)).toEqual([
      ESCALATION_TASK,
      ESCALATION_TASK,
    ]);
    run.send(partyMoved(id, EXTERNAL), partyMoved(id, SUPERVISOR));
    expect(nameOf(run)).toBe('handledByAnotherAgent');
  });
});
