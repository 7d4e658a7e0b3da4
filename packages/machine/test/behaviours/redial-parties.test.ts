import { describe, expect, it } from 'vitest';
import { stateName } from '../../src/index.ts';
import {
  AGENT_CALL,
  EXTERNAL,
  RECONNECT_TASK,
  Run,
  SUPERVISOR,
  accepted,
  CUSTOMER,
  NEW_CONF,
  joined,
  left,
  modified,
  redialJoined,
  tag,
} from '../fixtures.ts';
import { paramsOf, reconnecting } from '../support/scenarios.ts';

describe('re-dials that land', () => {
  it('keep a muted party muted, and leave a coaching supervisor out rather than make them audible', () => {
    const run = Run.connected();
    run.send(
      { ...joined(EXTERNAL, { label: 'external' }), muted: true },
      { ...joined(SUPERVISOR, { label: 'supervisor' }), coaching: true, muted: false },
    );
    run.send(left(AGENT_CALL));
    expect(run.snapshot.context.recovery?.parties[SUPERVISOR]).toMatchObject({
      status: 'left-out',
      error: expect.stringContaining('coaching') as string,
    });
    reconnecting(run);
    run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    const result = run.send(redialJoined(CUSTOMER));
    expect(paramsOf(result.effects, 'moveParticipant')).toEqual([
      expect.objectContaining({ callSid: EXTERNAL, muted: true, conferenceName: RECONNECT_TASK }),
    ]);
    run.send(redialJoined(EXTERNAL));
    expect(stateName(run.snapshot)).toBe('recovered');
  });

  it('also move parties that joined the old conference during the recovery', () => {
    const run = Run.connected();
    run.send(left(AGENT_CALL));
    // Joins while the agent is away: recorded as a party to move.
    run.send({ ...joined(EXTERNAL, { label: 'external' }), muted: true });
    expect(run.snapshot.context.recovery?.parties[EXTERNAL]).toMatchObject({
      status: 'waiting',
      muted: true,
    });
    reconnecting(run);
    run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    expect(stateName(run.snapshot)).toBe('redialing');
    const result = run.send(redialJoined(CUSTOMER));
    expect(paramsOf(result.effects, 'moveParticipant')).toEqual([
      expect.objectContaining({ callSid: EXTERNAL, muted: true, conferenceName: RECONNECT_TASK }),
    ]);
    // Joins during the re-dial: moved at once, and the recovery waits for it too.
    const late = run.send(joined(SUPERVISOR, { label: 'supervisor' }));
    expect(paramsOf(late.effects, 'moveParticipant')).toEqual([
      expect.objectContaining({ callSid: SUPERVISOR, conferenceName: RECONNECT_TASK }),
    ]);
    run.send(redialJoined(EXTERNAL));
    expect(stateName(run.snapshot)).toBe('redialing');
    run.send(redialJoined(SUPERVISOR));
    expect(stateName(run.snapshot)).toBe('recovered');
  });

  it('hold a party that was held in the old conference again once it joins the new one', () => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external' }), joined(SUPERVISOR, { label: 'supervisor' }));
    // The agent had put the external party on hold before the drop.
    run.send({ ...modified(EXTERNAL, false), change: 'hold', hold: true });
    run.send(left(AGENT_CALL));
    reconnecting(run);
    run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    run.send(redialJoined(CUSTOMER));
    expect(run.snapshot.context.recovery?.parties[EXTERNAL]).toMatchObject({ hold: true });
    const id = run.snapshot.context.recovery?.id ?? '';
    const held = run.send(redialJoined(EXTERNAL));
    expect(paramsOf(held.effects, 'holdParty')).toEqual([
      { key: `${id}:hold:${EXTERNAL}`, conferenceSid: NEW_CONF, callSid: EXTERNAL },
    ]);
    // Not held before: joins as it was, nothing to do.
    expect(paramsOf(run.send(redialJoined(SUPERVISOR)).effects, 'holdParty')).toEqual([]);
    expect(stateName(run.snapshot)).toBe('recovered');
  });

  it('ask for no hold when the party joins the new conference already held', () => {
    const run = Run.connected();
    run.send(joined(EXTERNAL, { label: 'external' }));
    run.send({ ...modified(EXTERNAL, false), change: 'hold', hold: true });
    run.send(left(AGENT_CALL));
    reconnecting(run);
    run.send(accepted(RECONNECT_TASK, tag('reconnect')), redialJoined(CUSTOMER));
    const joinedHeld = run.send(redialJoined(EXTERNAL, undefined, { hold: true }));
    expect(paramsOf(joinedHeld.effects, 'holdParty')).toEqual([]);
    expect(stateName(run.snapshot)).toBe('recovered');
  });
});
