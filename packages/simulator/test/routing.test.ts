import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/index.ts';
import { standardWorkspace, useHarness } from './support/sim.ts';

const h = useHarness();

const reservationOf = (taskSid: string) =>
  waitFor(() => h.sim.world.taskrouter.reservations.pendingFor(taskSid));

describe('TaskRouter routing', () => {
  it('routes targetWorkerSid tasks to that known worker only', async () => {
    const setup = standardWorkspace(h.sim);
    h.sim.workspace.setActivity(setup.bob.sid, 'Available');
    const task = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: JSON.stringify({ targetWorkerSid: setup.bob.sid }),
    });
    const reservation = await reservationOf(task.sid);
    expect(reservation.workerSid).toBe(setup.bob.sid);
    // Bob rejects: no one else may take it while the known-worker target holds it.
    await h.ws
      .tasks(task.sid)
      .reservations(reservation.sid)
      .update({ reservationStatus: 'rejected' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.sim.world.taskrouter.reservations.pendingFor(task.sid)).toBeUndefined();
    expect((await h.ws.tasks(task.sid).fetch()).assignmentStatus).toBe('pending');
  });

  it('routes disconnectedWorkerSid pings to that worker through the ping workflow', async () => {
    const setup = standardWorkspace(h.sim);
    h.sim.workspace.setActivity(setup.bob.sid, 'Available');
    const ping = await h.ws.tasks.create({
      workflowSid: setup.pingWorkflowSid,
      attributes: JSON.stringify({ name: 'Recovery Ping', disconnectedWorkerSid: setup.bob.sid }),
      priority: 1000,
      timeout: 15,
    });
    expect((await reservationOf(ping.sid)).workerSid).toBe(setup.bob.sid);
  });

  it('sends other tasks to any available worker, highest priority first', async () => {
    const setup = standardWorkspace(h.sim);
    h.sim.workspace.setActivity(setup.alice.sid, 'Offline');
    const low = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: '{}',
      priority: 1,
    });
    const high = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: '{}',
      priority: 50,
    });
    h.sim.workspace.setActivity(setup.bob.sid, 'Available');
    const first = await reservationOf(high.sid);
    expect(first.workerSid).toBe(setup.bob.sid);
    expect(h.sim.world.taskrouter.reservations.pendingFor(low.sid)).toBeUndefined();
  });

  it('keeps voice capacity taken by a wrapping task until its reservation is completed; pings use the default channel', async () => {
    const setup = standardWorkspace(h.sim);
    const first = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: '{}',
      taskChannel: 'voice',
    });
    const r1 = await reservationOf(first.sid);
    await h.ws.tasks(first.sid).reservations(r1.sid).update({ reservationStatus: 'accepted' });
    await h.ws.tasks(first.sid).update({ assignmentStatus: 'wrapping' });
    const reconnect = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: JSON.stringify({ isReconnect: true, targetWorkerSid: setup.alice.sid }),
      taskChannel: 'voice',
    });
    const ping = await h.ws.tasks.create({
      workflowSid: setup.pingWorkflowSid,
      attributes: JSON.stringify({ name: 'Recovery Ping', disconnectedWorkerSid: setup.alice.sid }),
    });
    expect((await reservationOf(ping.sid)).workerSid).toBe(setup.alice.sid);
    expect(h.sim.world.taskrouter.reservations.pendingFor(reconnect.sid)).toBeUndefined();
    await h.ws.tasks(first.sid).reservations(r1.sid).update({ reservationStatus: 'completed' });
    expect((await reservationOf(reconnect.sid)).workerSid).toBe(setup.alice.sid);
  });

  it('times a reservation out and offers the task again', async () => {
    const setup = standardWorkspace(h.sim, { reservationTimeoutS: 5 });
    const task = await h.ws.tasks.create({ workflowSid: setup.voiceWorkflowSid, attributes: '{}' });
    const first = await reservationOf(task.sid);
    await waitFor(() => first.status === 'timeout');
    const second = await reservationOf(task.sid);
    expect(second.sid).not.toBe(first.sid);
    const types = h.sim.eventStreams.produced.map((e) => e['type']);
    expect(types).toContain('com.twilio.taskrouter.reservation.timeout');
  });

  it('cancels a task whose TTL passes with reason "Task TTL Exceeded"', async () => {
    const setup = standardWorkspace(h.sim);
    h.sim.workspace.setActivity(setup.alice.sid, 'Offline');
    const task = await h.ws.tasks.create({
      workflowSid: setup.pingWorkflowSid,
      attributes: '{}',
      timeout: 10,
    });
    await waitFor(async () => (await h.ws.tasks(task.sid).fetch()).assignmentStatus === 'canceled');
    const fetched = await h.ws.tasks(task.sid).fetch();
    expect(fetched.reason).toBe('Task TTL Exceeded');
  });

  it('re-evaluates the workflow when attributes change (retargeting to anyone)', async () => {
    const setup = standardWorkspace(h.sim);
    const bobSid = setup.bob.sid; // Offline: the known-worker target cannot be served
    const task = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: JSON.stringify({ targetWorkerSid: bobSid }),
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(h.sim.world.taskrouter.reservations.pendingFor(task.sid)).toBeUndefined();
    await h.ws
      .tasks(task.sid)
      .update({ attributes: JSON.stringify({ escalated: true }), priority: 1000 });
    expect((await reservationOf(task.sid)).workerSid).toBe(setup.alice.sid);
  });

  it('moves a task to the default queue when the known-worker target times out', async () => {
    const queue = h.sim.workspace.addQueue({ friendlyName: 'Everyone' });
    const special = h.sim.workspace.addQueue({
      friendlyName: 'Special',
      targetWorkers: 'skills HAS "vip"',
    });
    const alice = h.sim.workspace.addWorker({
      friendlyName: 'Alice',
      attributes: { skills: ['vip'] },
    });
    const carol = h.sim.workspace.addWorker({ friendlyName: 'Carol' });
    h.sim.workspace.setActivity(alice.sid, 'Offline');
    const workflow = h.sim.workspace.addWorkflow({
      friendlyName: 'VIP',
      configuration: {
        task_routing: {
          filters: [{ expression: 'vip == true', targets: [{ queue: special.sid, timeout: 5 }] }],
          default_filter: { queue: queue.sid },
        },
      },
    });
    const task = await h.ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: '{"vip": true}',
    });
    expect(task.taskQueueSid).toBe(special.sid);
    const reservation = await reservationOf(task.sid);
    expect(reservation.workerSid).toBe(carol.sid);
    expect((await h.ws.tasks(task.sid).fetch()).taskQueueSid).toBe(queue.sid);
  });
});
