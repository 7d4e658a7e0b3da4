import { describe, expect, it } from 'vitest';
import {
  AGENT_CALL,
  CONF,
  CUSTOMER,
  ESCALATION_TASK,
  EXTERNAL,
  NEW_CONF,
  PING_TASK,
  RECONNECT_TASK,
  Run,
  SUPERVISOR,
  WORKER2,
  accepted,
  canceled,
  conferenceEnded,
  customerCallGone,
  joined,
  left,
  partyMoveFailed,
  partyMoved,
  redialJoined,
  redialLeft,
  redialTimeoutEvent,
  sidOf,
  tag,
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
const LATE = sidOf('CA', 7);

function redialing() {
  const run = reconnecting(pinging(connectedWithThirdParties()));
  const result = run.send(accepted(RECONNECT_TASK, tag('reconnect')));
  return { run, result };
}

/** Re-dialing, with the customer already seen in the new conference: the parties are moving. */
function moving() {
  const { run } = redialing();
  const result = run.send(redialJoined(CUSTOMER));
  return { run, result };
}

const statuses = (run: Run) =>
  Object.fromEntries(
    Object.values(run.snapshot.context.recovery?.parties ?? {}).map((p) => [p.callSid, p.status]),
  );

describe('redialing', () => {
  it('moves nobody until the customer is seen in the new conference, and reads back earlier callbacks', () => {
    const { run, result } = redialing();
    expect(nameOf(run)).toBe('redialing');
    expect(typesOf(result)).not.toContain('moveParticipant');
    expect(paramsOf(result.effects, 'collectRedialJoins')).toEqual([
      {
        key: `${id}:collect-redial:${RECONNECT_TASK}`,
        recoveryId: id,
        conferenceName: RECONNECT_TASK,
      },
    ]);
    expect(statuses(run)).toEqual({ [EXTERNAL]: 'waiting', [SUPERVISOR]: 'waiting' });
    // The agent's join in the new conference is not the signal.
    expect(typesOf(run.send(redialJoined(AGENT_CALL)))).toEqual([]);
  });

  it("moves every party with its label and original endConferenceOnExit on the customer's join", () => {
    const { run, result } = moving();
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
    expect(statuses(run)).toEqual({ [EXTERNAL]: 'moving', [SUPERVISOR]: 'moving' });
    expect(run.snapshot.context.recovery).toMatchObject({
      newConferenceSid: NEW_CONF,
      customerInNewConference: true,
    });
  });

  it('counts a party as joined when its join in the new conference is seen, not when the move answered', () => {
    const { run } = moving();
    run.send(partyMoved(id, EXTERNAL), partyMoved(id, SUPERVISOR));
    expect(statuses(run)).toEqual({ [EXTERNAL]: 'moving', [SUPERVISOR]: 'moving' });
    expect(nameOf(run)).toBe('redialing');

    run.send(redialJoined(EXTERNAL));
    expect(statuses(run)[EXTERNAL]).toBe('joined');
    expect(nameOf(run)).toBe('redialing');
    run.send(redialJoined(SUPERVISOR));
    expect(nameOf(run)).toBe('recovered');
  });

  it('records a failed move without blocking on it', () => {
    const { run } = moving();
    run.send(redialJoined(EXTERNAL));
    run.send(partyMoveFailed(id, SUPERVISOR, 'busy'));
    expect(nameOf(run)).toBe('recovered');
    expect(run.snapshot.context.recovery?.parties[SUPERVISOR]).toMatchObject({
      status: 'failed',
      error: 'busy',
    });
  });

  it('does not dial back a party that hung up while the customer waited', () => {
    const run = reconnecting(pinging(connectedWithThirdParties()));
    run.send(left(SUPERVISOR));
    expect(run.snapshot.context.recovery?.parties[SUPERVISOR]?.status).toBe('gone');
    run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    const result = run.send(redialJoined(CUSTOMER));
    expect(paramsOf(result.effects, 'moveParticipant').map((p) => p.callSid)).toEqual([EXTERNAL]);
    run.send(redialJoined(EXTERNAL));
    expect(nameOf(run)).toBe('recovered');
  });

  it('gives up on a moving party that hangs up instead of being moved', () => {
    const { run } = moving();
    run.send(redialJoined(EXTERNAL));
    run.send(left(SUPERVISOR, 'participant_hung_up'));
    expect(statuses(run)[SUPERVISOR]).toBe('gone');
    expect(nameOf(run)).toBe('recovered');
  });

  it("is recovered on the customer's join alone when every party has hung up", () => {
    const run = reconnecting(pinging(connectedWithThirdParties()));
    run.send(left(SUPERVISOR), left(EXTERNAL));
    run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    expect(nameOf(run)).toBe('redialing');
    run.send(redialJoined(CUSTOMER));
    expect(nameOf(run)).toBe('recovered');
  });

  it('ignores results of another recovery, the customer leaving the old conference, stale and foreign callbacks', () => {
    const { run } = moving();
    expect(run.send(partyMoveFailed(`${CONF}:0`, EXTERNAL)).changed).toBe(false);
    expect(run.send(left(CUSTOMER, 'participant_hung_up')).effects).toEqual([]);
    expect(run.send(customerCallGone(id)).changed).toBe(false);
    const join = redialJoined(EXTERNAL, 500);
    // Another conference of the same name is not the one this re-dial joined.
    expect(run.send({ ...join, conferenceSid: CONF }).changed).toBe(false);
    run.send(redialLeft(EXTERNAL, 'participant_hung_up', 501));
    // Older than what the new conference already said about that call.
    expect(run.send(join).changed).toBe(false);
    expect(nameOf(run)).toBe('redialing');
  });

  it('keeps waiting for moved parties when the old conference ends; parties never moved went with it', () => {
    const { run: early } = redialing();
    early.send(conferenceEnded());
    expect(statuses(early)).toEqual({ [EXTERNAL]: 'gone', [SUPERVISOR]: 'gone' });
    // Still the customer to see with whoever accepted.
    expect(nameOf(early)).toBe('redialing');
    early.send(redialJoined(CUSTOMER));
    expect(nameOf(early)).toBe('recovered');

    const { run } = moving();
    expect(run.send(conferenceEnded()).effects).toEqual([]);
    expect(nameOf(run)).toBe('redialing');
    run.send(redialJoined(EXTERNAL), redialJoined(SUPERVISOR));
    expect(nameOf(run)).toBe('recovered');
    expect(run.snapshot.context.outcome).toMatchObject({ kind: 'recovered' });
  });

  it('reports the parties not seen in time as failed, and finishes', () => {
    const { run } = moving();
    run.send(redialJoined(EXTERNAL));
    const timeout = run.send(redialTimeoutEvent);
    expect(nameOf(run)).toBe('recovered');
    // The supervisor left the old conference when it was moved: nobody is stranded there.
    expect(typesOf(timeout)).toEqual([]);
    expect(run.snapshot.context.recovery?.parties[SUPERVISOR]).toMatchObject({
      status: 'failed',
      error: 'not seen in the new conference in time',
    });
    expect(statuses(run)[EXTERNAL]).toBe('joined');
  });

  it('asks Twilio where the customer is when they never show up; found there, the parties move', () => {
    const { run, result } = redialing();
    expect(result.schedule).toEqual([expect.objectContaining({ delayMs: 30_000 })]);
    const timeout = run.send(redialTimeoutEvent);
    expect(nameOf(run)).toBe('locating');
    expect(typesOf(timeout)).toEqual(['locateCustomer']);
    // The parties wait together in the old conference meanwhile.
    expect(statuses(run)).toEqual({ [EXTERNAL]: 'waiting', [SUPERVISOR]: 'waiting' });
    const found = run.send({
      type: 'effect.customerLocated',
      at: 0,
      recoveryId: id,
      where: 'new-conference',
    });
    expect(nameOf(run)).toBe('redialing');
    expect(paramsOf(found.effects, 'moveParticipant').map((p) => p.callSid)).toEqual([
      EXTERNAL,
      SUPERVISOR,
    ]);
  });

  it('waits as long as the config says', () => {
    const run = Run.connected({ redialTimeoutMs: 5_000 });
    run.send(joined(EXTERNAL, { label: 'external' }));
    reconnecting(pinging(run));
    const result = run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    expect(result.schedule).toEqual([expect.objectContaining({ delayMs: 5_000 })]);
  });

  it('a customer hanging up in the new conference before the parties arrive ends the re-dial', () => {
    const { run } = redialing();
    run.send(redialJoined(CUSTOMER, 10));
    const hangup = run.send(redialLeft(CUSTOMER, 'participant_hung_up', 11));
    expect(nameOf(run)).toBe('recovered');
    expect(statuses(run)).toEqual({ [EXTERNAL]: 'failed', [SUPERVISOR]: 'failed' });
    // They were moved already (left the old conference): nothing to end there.
    expect(typesOf(hangup)).toEqual([]);
  });

  it('still finishes when a second refresh moves the customer out of the new conference', () => {
    const { run } = moving();
    // The new conference's own recovery enqueues the customer (a move, not a hang-up).
    run.send(redialLeft(CUSTOMER, 'participant_updated_via_api'));
    expect(nameOf(run)).toBe('redialing');
    run.send(redialJoined(EXTERNAL), redialJoined(SUPERVISOR));
    expect(nameOf(run)).toBe('recovered');
  });

  it('hands the call to another agent who accepted the escalation, once parties settle', () => {
    const run = pinging(connectedWithThirdParties());
    run.send(canceled(PING_TASK, tag('ping')));
    run.send(accepted(ESCALATION_TASK, tag('escalation'), WORKER2));
    expect(nameOf(run)).toBe('redialing');
    const result = run.send(redialJoined(CUSTOMER));
    expect(paramsOf(result.effects, 'moveParticipant').map((p) => p.conferenceName)).toEqual([
      ESCALATION_TASK,
      ESCALATION_TASK,
    ]);
    run.send(redialJoined(EXTERNAL), redialJoined(SUPERVISOR));
    expect(nameOf(run)).toBe('handledByAnotherAgent');
  });

  it('moves a party that joins the old conference during the re-dial only once the customer is in', () => {
    const { run } = redialing();
    const early = run.send(joined(LATE, { label: 'late' }));
    expect(typesOf(early)).not.toContain('moveParticipant');
    const result = run.send(redialJoined(CUSTOMER));
    expect(paramsOf(result.effects, 'moveParticipant').map((p) => p.callSid)).toContain(LATE);
  });
});
