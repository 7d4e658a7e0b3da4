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
});
