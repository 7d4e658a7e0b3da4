import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bothLegs, startPlugin, voiceTask } from '../fixtures/plugin.ts';
import { CONF, WORKER } from '../fixtures/sids.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('beforeHangupCall (graceful-exit)', () => {
  it('records the hangup with the live participant count before Flex hangs up', async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask({ status: 'accepted', conference: bothLegs() }), {
      emit: false,
    });
    await plugin.flex.Actions.invokeAction('HangupCall', { task });
    expect(plugin.http.posts()).toMatchObject([
      {
        method: 'POST',
        path: `/conferences/${CONF}/agents/${WORKER}/hangup`,
        body: { liveParticipantCount: 2 },
      },
    ]);
    expect(task.status).toBe('wrapping');
  });

  it('never holds a hangup up for long when the server is slow or down', async () => {
    const plugin = startPlugin();
    plugin.http.state.delayMs = 10_000;
    const task = plugin.addTask(voiceTask({ status: 'accepted', conference: bothLegs() }), {
      emit: false,
    });
    const hangup = plugin.flex.Actions.invokeAction('HangupCall', { task });
    await vi.advanceTimersByTimeAsync(1_500);
    await hangup;
    expect(task.status).toBe('wrapping');

    plugin.http.state.delayMs = 0;
    plugin.http.state.status = 500;
    await expect(plugin.flex.Actions.invokeAction('HangupCall', { task })).resolves.toBeUndefined();
  });
});

describe('beforeEndConferenceForAll (graceful-exit)', () => {
  it('records "end call for all" (the end-call menu and its shortcut) as a hang-up', async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask({ status: 'accepted', conference: bothLegs() }), {
      emit: false,
    });
    await plugin.flex.Actions.invokeAction('EndConferenceForAll', { task });
    expect(plugin.http.posts()).toMatchObject([
      {
        method: 'POST',
        path: `/conferences/${CONF}/agents/${WORKER}/hangup`,
        body: { liveParticipantCount: 2 },
      },
    ]);
    expect(task.status).toBe('wrapping');
  });
});

describe('beforeTransferTask (graceful-exit)', () => {
  it('records a cold transfer', async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask({ status: 'accepted', conference: bothLegs() }), {
      emit: false,
    });
    await plugin.flex.Actions.invokeAction('TransferTask', {
      sid: task.sid,
      targetSid: 'WKother',
      options: { mode: 'COLD' },
    });
    expect(plugin.http.posts()).toMatchObject([
      { path: `/conferences/${CONF}/agents/${WORKER}/transfer`, body: { mode: 'COLD' } },
    ]);
  });

  it('ignores a warm transfer: the agent stays in the call', async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask({ status: 'accepted', conference: bothLegs() }), {
      emit: false,
    });
    await plugin.flex.Actions.invokeAction('TransferTask', { task, options: { mode: 'WARM' } });
    expect(plugin.http.posts()).toHaveLength(0);
  });
});
