import { describe, expect, it, vi } from 'vitest';
import type { Payload } from '../fakes/flex-ui.ts';
import { conference, createFakeFlex } from '../fakes/flex-ui.ts';
import { voiceTask } from '../fixtures/plugin.ts';
import { CONF, RESERVATION, WORKER } from '../fixtures/sids.ts';

/**
 * Pins the shared fake to Flex UI 2.17.1's own code, so the plugin's tests cannot pass on a
 * Flex that behaves the way the plugin assumed. Each case names the bundle symbol
 * (node_modules/@twilio/flex-ui/bundle/twilio-flex.prod.js) it copies.
 */
describe('the Flex fake behaves like Flex UI 2.17.1', () => {
  it('runs before-listeners at once (customEmit: Promise.all of every listener)', async () => {
    const fake = createFakeFlex();
    fake.addTask(voiceTask(), { emit: false });
    const started: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake.flex.Actions.addListener('beforeWrapupTask', async () => {
      started.push('slow');
      await gate;
    });
    fake.flex.Actions.addListener('beforeWrapupTask', () => {
      started.push('second');
    });
    const done = fake.flex.Actions.invokeAction('WrapupTask', { sid: RESERVATION });
    await Promise.resolve();
    // The second started while the first was still waiting.
    expect(started).toEqual(['slow', 'second']);
    release();
    await done;
  });

  it('logs a before-listener that throws or rejects and goes on with the action', async () => {
    const fake = createFakeFlex();
    const task = fake.addTask(voiceTask({ status: 'accepted' }), { emit: false });
    fake.flex.Actions.addListener('beforeWrapupTask', async () => {
      throw new Error('rejected');
    });
    await fake.flex.Actions.invokeAction('WrapupTask', { sid: RESERVATION });
    expect(task.status).toBe('wrapping');
    fake.flex.Actions.addListener('beforeCompleteTask', () => {
      throw new Error('thrown');
    });
    await fake.flex.Actions.invokeAction('CompleteTask', { sid: RESERVATION });
    expect(task.status).toBe('completed');
    expect(fake.flex.Actions.errors.map((e) => (e as Error).message)).toEqual([
      'rejected',
      'thrown',
    ]);
  });

  it('cancels the action when a before-listener calls abortFunction', async () => {
    const fake = createFakeFlex();
    fake.addTask(voiceTask({ status: 'wrapping' }), { emit: false });
    fake.flex.Actions.addListener('beforeCompleteTask', (_: Payload, abort: () => void) => abort());
    await expect(
      fake.flex.Actions.invokeAction('CompleteTask', { sid: RESERVATION }),
    ).rejects.toThrow('Action CompleteTask cancelled by before event');
  });

  it('gives after-listeners the payload only (customEmit("after"+name, payload))', async () => {
    const fake = createFakeFlex();
    fake.addTask(voiceTask(), { emit: false });
    const after = vi.fn();
    fake.flex.Actions.addListener('afterAcceptTask', after);
    await fake.flex.Actions.invokeAction('AcceptTask', { sid: RESERVATION });
    expect(after).toHaveBeenCalledTimes(1);
    expect(after.mock.calls[0]).toHaveLength(1);
  });

  it('resolves `sid` (a reservation SID) into payload.task before listeners (updateWorkerActionPayload)', async () => {
    const fake = createFakeFlex();
    const task = fake.addTask(voiceTask(), { emit: false });
    const seen: Payload[] = [];
    fake.flex.Actions.addListener('beforeSelectTask', (payload: Payload) => {
      seen.push(payload);
    });
    await fake.flex.Actions.invokeAction('SelectTask', { task });
    expect(seen[0]?.['sid']).toBe(RESERVATION);
    expect(fake.selected).toEqual([RESERVATION]);
  });

  it('pre-fills AcceptTask conference options (updateAcceptTaskPayload); a task SID makes it throw', async () => {
    const fake = createFakeFlex();
    const task = fake.addTask(voiceTask(), { emit: false });
    const seen: Payload[] = [];
    fake.flex.Actions.addListener('beforeAcceptTask', (payload: Payload) => {
      seen.push(payload);
    });
    await fake.flex.Actions.invokeAction('AcceptTask', { sid: RESERVATION });
    expect(seen[0]?.['conferenceOptions']).toEqual({
      endConferenceOnExit: true,
      endConferenceOnCustomerExit: true,
      conferenceRecord: false,
    });
    await expect(
      fake.flex.Actions.invokeAction('AcceptTask', { sid: task.taskSid }),
    ).rejects.toThrow(TypeError);
  });

  it('counts live participants without transfer legs and the current worker once ("liveParticipantCount")', () => {
    const live = conference(CONF, [
      { participantType: 'customer', callSid: 'CA1', status: 'joined' },
      { participantType: 'worker', callSid: 'CA2', workerSid: WORKER, status: 'joined' },
      { participantType: 'worker', callSid: 'CA3', workerSid: WORKER, status: 'joined' },
      { participantType: 'transfer', callSid: 'CA4', status: 'joined' },
      { participantType: 'external', callSid: 'CA5', status: 'left' },
    ]);
    expect(live.liveParticipantCount).toBe(2);
    expect(live.liveWorkerCount).toBe(2);
  });

  it('reads a task\'s status from its reservation on every access (TaskRouterTask "status" getter)', () => {
    const fake = createFakeFlex();
    const task = fake.addTask(voiceTask(), { emit: false });
    const reservation = fake.workerClient.reservations.get(RESERVATION);
    if (reservation === undefined) throw new Error('no reservation');
    reservation.status = 'wrapping';
    expect(task.status).toBe('wrapping');
  });
});
