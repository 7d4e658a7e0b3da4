import { describe, expect, it } from 'vitest';
import { stateName } from '../../src/index.ts';
import {
  AGENT_CALL,
  EXTERNAL,
  RECONNECT_TASK,
  Run,
  SUPERVISOR,
  accepted,
  joined,
  left,
  partyMoved,
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
    const result = run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    expect(paramsOf(result.effects, 'moveParticipant')).toEqual([
      expect.objectContaining({ callSid: EXTERNAL, muted: true, conferenceName: RECONNECT_TASK }),
    ]);
    run.send(partyMoved(`${run.snapshot.context.recovery?.id ?? ''}`, EXTERNAL));
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
    const result = run.send(accepted(RECONNECT_TASK, tag('reconnect')));
    expect(stateName(run.snapshot)).toBe('redialing');
    expect(paramsOf(result.effects, 'moveParticipant')).toEqual([
      expect.objectContaining({ callSid: EXTERNAL, muted: true, conferenceName: RECONNECT_TASK }),
    ]);
    // Joins during the re-dial: moved at once, and the recovery waits for it too.
    const late = run.send(joined(SUPERVISOR, { label: 'supervisor' }));
    expect(paramsOf(late.effects, 'moveParticipant')).toEqual([
      expect.objectContaining({ callSid: SUPERVISOR, conferenceName: RECONNECT_TASK }),
    ]);
    const id = run.snapshot.context.recovery?.id ?? '';
    run.send(partyMoved(id, EXTERNAL));
    expect(stateName(run.snapshot)).toBe('redialing');
    run.send(partyMoved(id, SUPERVISOR));
    expect(stateName(run.snapshot)).toBe('recovered');
  });
});
