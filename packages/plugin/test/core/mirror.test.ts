import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { recoveryMirror, selectModal, selectStateName, viewOf } from '../../src/core/index.ts';
import { CONF, TASK } from '../fixtures/sids.ts';
import { reportAt } from '../fixtures/snapshots.ts';

function mirror() {
  const actor = createActor(recoveryMirror, { input: { conferenceSid: CONF } });
  actor.start();
  return actor;
}

const send = (actor: ReturnType<typeof mirror>, report: ReturnType<typeof reportAt>) =>
  actor.send({ type: 'server.snapshot', version: report.version, snapshot: report.snapshot });

describe('recovery mirror', () => {
  it('restores the server snapshot with the shared statechart and reads its copy', () => {
    const actor = mirror();
    send(actor, reportAt('pinging', 3));
    const view = viewOf(actor.getSnapshot().context);
    expect(view).toMatchObject({ state: 'pinging', final: false, taskSid: TASK });
    expect(view?.modal).toMatchObject({ title: 'Checking that you are back', blocking: true });
    expect(selectStateName(actor.getSnapshot())).toBe('pinging');
  });

  it('ignores older and repeated versions (the stream and the poll can overlap)', () => {
    const actor = mirror();
    send(actor, reportAt('reconnecting', 5));
    send(actor, reportAt('pinging', 4));
    send(actor, reportAt('pinging', 5));
    expect(selectStateName(actor.getSnapshot())).toBe('reconnecting');
    send(actor, reportAt('recovered', 6));
    expect(viewOf(actor.getSnapshot().context)).toMatchObject({ state: 'recovered', final: true });
    expect(selectModal(actor.getSnapshot())).toMatchObject({ tone: 'success', autoCloseMs: 4000 });
  });

  it('keeps the last good snapshot when one cannot be restored', () => {
    const actor = mirror();
    send(actor, reportAt('pinging', 1));
    actor.send({
      type: 'server.snapshot',
      version: 2,
      snapshot: { schemaVersion: 99, value: 'x', context: {} },
    });
    const state = actor.getSnapshot().context;
    expect(state.error).toMatch(/schemaVersion 99/);
    expect(viewOf(state)?.state).toBe('pinging');
  });

  it('shows the failure states with what to do', () => {
    const actor = mirror();
    send(actor, reportAt('abandoned', 1));
    expect(viewOf(actor.getSnapshot().context)).toMatchObject({
      state: 'abandoned',
      final: true,
      modal: { title: 'The customer hung up', blocking: false, tone: 'error' },
    });
    const escalated = mirror();
    send(escalated, reportAt('escalated', 1));
    expect(selectModal(escalated.getSnapshot())?.body).toMatch(/You can wrap up this task/);
  });
});
