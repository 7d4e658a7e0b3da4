import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readTaskView } from '../../src/flex/tasks.ts';
import { conference, createFakeFlex } from '../fakes/flex-ui.ts';
import { bothLegs, startPlugin, voiceTask } from '../fixtures/plugin.ts';
import {
  CONF,
  CUSTOMER_CALL,
  PING_RESERVATION,
  PING_TASK,
  RESERVATION,
  TASK,
  WORKER,
  WORKER_CALL,
} from '../fixtures/sids.ts';
import { registration } from '../fixtures/snapshots.ts';

/**
 * Flex UI 2.17.1 finds a task by its RESERVATION SID only: `TaskHelper.getTaskByTaskSid`
 * is `FlexModule.state.worker.tasks.get(e)` (bundle) and `worker.tasks` is keyed by the
 * ITask's `sid`, the reservation's (bundle `s.set(l.sid,l)`); typings TaskHelper.d.ts says
 * "Returns task by reservation sid". These pin that, and fail if the plugin looks a task up
 * by its task SID anywhere.
 */
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const taskSids = (lookups: string[]) => lookups.filter((sid) => sid.startsWith('WT'));

describe('tasks are found by reservation SID', () => {
  it('the fake, like Flex, finds nothing by a task SID', () => {
    const fake = createFakeFlex();
    fake.addTask(voiceTask(), { emit: false });
    expect(fake.flex.TaskHelper.getTaskByTaskSid(RESERVATION)?.taskSid).toBe(TASK);
    expect(fake.flex.TaskHelper.getTaskByTaskSid(TASK)).toBeUndefined();
    expect(readTaskView(fake.flex, TASK)).toBeNull();
  });

  it('a call goes through accept, registration, hang-up and unload without a task-SID lookup', async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask());
    await plugin.flex.Actions.invokeAction('AcceptTask', { sid: task.sid });
    task.conference = bothLegs();
    await vi.advanceTimersByTimeAsync(300);
    expect(plugin.http.posts()[0]?.body).toEqual(registration);
    window.dispatchEvent(new Event('pagehide'));
    expect(plugin.sendBeacon).toHaveBeenCalledTimes(1);
    await plugin.flex.Actions.invokeAction('HangupCall', { sid: task.sid });
    await plugin.flex.Actions.invokeAction('WrapupTask', { sid: task.sid });
    await plugin.flex.Actions.invokeAction('CompleteTask', { sid: task.sid });
    expect(plugin.http.posts().map((r) => r.path)).toEqual([
      `/conferences/${CONF}/agents`,
      `/conferences/${CONF}/agents/${WORKER}/hangup`,
    ]);
    expect(plugin.lookups.length).toBeGreaterThan(0);
    expect(taskSids(plugin.lookups)).toEqual([]);
  });

  it('auto-accept of a Recovery Ping looks it up by its reservation', async () => {
    const plugin = startPlugin();
    plugin.addTask(
      voiceTask({
        taskSid: PING_TASK,
        sid: PING_RESERVATION,
        taskChannelUniqueName: 'default',
        attributes: { name: 'Recovery Ping', disconnectedWorkerSid: WORKER },
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(plugin.tasks.get(PING_RESERVATION)?.status).toBe('accepted');
    expect(taskSids(plugin.lookups)).toEqual([]);
  });

  it("registers the worker's joined leg, not an older leg of the same worker that left", async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask(), { emit: false });
    await plugin.flex.Actions.invokeAction('AcceptTask', { sid: task.sid });
    task.conference = conference(CONF, [
      { participantType: 'worker', callSid: 'CAold', workerSid: WORKER, status: 'left' },
      { participantType: 'customer', callSid: CUSTOMER_CALL, status: 'joined' },
      { participantType: 'worker', callSid: WORKER_CALL, workerSid: WORKER, status: 'joined' },
    ]);
    await vi.advanceTimersByTimeAsync(300);
    expect(plugin.http.posts()[0]?.body).toMatchObject({ workerCallSid: WORKER_CALL });
    // The older leg that left does not make the call look dropped on unload.
    window.dispatchEvent(new Event('pagehide'));
    expect(plugin.sendBeacon).toHaveBeenCalledTimes(1);
  });
});
