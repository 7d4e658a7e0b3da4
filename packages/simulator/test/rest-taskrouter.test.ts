import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/index.ts';
import { standardWorkspace, useHarness } from './support/sim.ts';
import { workspaceSid } from './support/ids.ts';

const h = useHarness();

describe('tasks through the twilio client', () => {
  it('creates, fetches and lists tasks with ISO 8601 dates and an ETag', async () => {
    const setup = standardWorkspace(h.sim);
    const created = await h.ws.tasks.createWithHttpInfo({
      workflowSid: setup.pingWorkflowSid,
      // A known worker nobody is, and a TTL far beyond the test (scaled time runs fast): the
      // task stays pending while it is listed, however slow the machine.
      attributes: JSON.stringify({
        name: 'Recovery Ping',
        disconnectedWorkerSid: `WK${'0'.repeat(32)}`,
      }),
      priority: 1000,
      timeout: 86_400,
      taskChannel: 'default',
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['etag']).toBeDefined();
    const task = created.body;
    expect(task.sid).toMatch(/^WT[0-9a-f]{32}$/);
    expect(task.priority).toBe(1000);
    expect(task.timeout).toBe(86_400);
    expect(task.workflowSid).toBe(setup.pingWorkflowSid);
    expect(task.taskChannelUniqueName).toBe('default');
    expect(task.assignmentStatus).toBe('pending');
    expect(task.dateCreated).toBeInstanceOf(Date);
    const raw = await fetch(`${h.sim.url}/v1/Workspaces/${workspaceSid}/Tasks/${task.sid}`, {
      headers: {
        Authorization: `Basic ${Buffer.from(`${h.sim.options.accountSid}:${h.sim.options.authToken}`).toString('base64')}`,
      },
    });
    const json = (await raw.json()) as { date_created: string; task_queue_sid: string };
    expect(json.date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(json.task_queue_sid).toBe(setup.queueSid);
    const listed = await h.ws.tasks.list({ assignmentStatus: ['pending'] });
    expect(listed.map((t) => t.sid)).toEqual([task.sid]);
  });

  it('honours If-Match: a stale ETag gets 412, the current one updates', async () => {
    const setup = standardWorkspace(h.sim);
    // Nobody available: the task stays pending, so only our updates move its ETag.
    h.sim.workspace.setActivity(setup.alice.sid, 'Offline');
    const created = await h.ws.tasks.createWithHttpInfo({
      workflowSid: setup.voiceWorkflowSid,
      attributes: JSON.stringify({ a: 1 }),
    });
    const etag = String(created.headers['etag']);
    const task = h.ws.tasks(created.body.sid);
    const updated = await task.updateWithHttpInfo({
      attributes: JSON.stringify({ a: 2 }),
      ifMatch: etag,
    });
    expect(JSON.parse(updated.body.attributes)).toEqual({ a: 2 });
    const newEtag = String(updated.headers['etag']);
    expect(newEtag).not.toBe(etag);
    await expect(
      task.update({ attributes: JSON.stringify({ a: 3 }), ifMatch: etag }),
    ).rejects.toMatchObject({
      status: 412,
      code: 20412,
    });
    const fetched = await task.fetchWithHttpInfo();
    expect(fetched.headers['etag']).toBe(newEtag);
  });

  it('filters with EvaluateTaskAttributes (==, != null, and)', async () => {
    const setup = standardWorkspace(h.sim);
    const make = (attributes: object) =>
      h.ws.tasks.create({
        workflowSid: setup.voiceWorkflowSid,
        attributes: JSON.stringify(attributes),
      });
    const a = await make({ lifeline: { conferenceSid: 'CF1', kind: 'ping' }, isReconnect: true });
    const b = await make({ lifeline: { conferenceSid: 'CF2', kind: 'reconnect' } });
    await make({ other: true });
    const byKind = await h.ws.tasks.list({ evaluateTaskAttributes: 'lifeline.kind == "ping"' });
    expect(byKind.map((t) => t.sid)).toEqual([a.sid]);
    const tagged = await h.ws.tasks.list({ evaluateTaskAttributes: 'lifeline != null' });
    expect(tagged.map((t) => t.sid).sort()).toEqual([a.sid, b.sid].sort());
    const both = await h.ws.tasks.list({
      evaluateTaskAttributes: "lifeline.conferenceSid == 'CF1' and isReconnect == true",
    });
    expect(both.map((t) => t.sid)).toEqual([a.sid]);
    await expect(h.ws.tasks.list({ evaluateTaskAttributes: 'lifeline ==' })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('cancels a pending task with a reason, and refuses to cancel an assigned one', async () => {
    const setup = standardWorkspace(h.sim);
    const pending = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: '{"x":1}',
    });
    const canceled = await h.ws
      .tasks(pending.sid)
      .update({ assignmentStatus: 'canceled', reason: 'Recovery over' });
    expect(canceled.assignmentStatus).toBe('canceled');
    expect(canceled.reason).toBe('Recovery over');
    const other = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: '{}',
    });
    const reservation = await waitFor(() =>
      h.sim.world.taskrouter.reservations.pendingFor(other.sid),
    );
    await h.ws
      .tasks(other.sid)
      .reservations(reservation.sid)
      .update({ reservationStatus: 'accepted' });
    await expect(
      h.ws.tasks(other.sid).update({ assignmentStatus: 'canceled' }),
    ).rejects.toMatchObject({
      status: 400,
    });
  });
});

describe('reservations, workers and workflows through the twilio client', () => {
  it('accepts, wraps and completes a reservation (completing it completes the task)', async () => {
    const setup = standardWorkspace(h.sim);
    const task = await h.ws.tasks.create({ workflowSid: setup.voiceWorkflowSid, attributes: '{}' });
    const pending = await waitFor(() => h.sim.world.taskrouter.reservations.pendingFor(task.sid));
    const reservation = h.ws.tasks(task.sid).reservations(pending.sid);
    const fetched = await reservation.fetch();
    expect(fetched.reservationStatus).toBe('pending');
    expect(fetched.workerSid).toBe(setup.alice.sid);
    expect(fetched.workerName).toBe('Alice');
    expect((await reservation.update({ reservationStatus: 'accepted' })).reservationStatus).toBe(
      'accepted',
    );
    expect((await h.ws.tasks(task.sid).fetch()).assignmentStatus).toBe('assigned');
    expect((await reservation.update({ reservationStatus: 'wrapping' })).reservationStatus).toBe(
      'wrapping',
    );
    expect((await h.ws.tasks(task.sid).fetch()).assignmentStatus).toBe('wrapping');
    expect((await reservation.update({ reservationStatus: 'completed' })).reservationStatus).toBe(
      'completed',
    );
    expect((await h.ws.tasks(task.sid).fetch()).assignmentStatus).toBe('completed');
    const listed = await h.ws.tasks(task.sid).reservations.list();
    expect(listed.map((r) => r.sid)).toEqual([pending.sid]);
    const byWorker = await h.ws.workers(setup.alice.sid).reservations(pending.sid).fetch();
    expect(byWorker.reservationStatus).toBe('completed');
  });

  it('fetches, lists and updates workers (ActivitySid)', async () => {
    const setup = standardWorkspace(h.sim);
    const alice = await h.ws.workers(setup.alice.sid).fetch();
    expect(alice.friendlyName).toBe('Alice');
    expect(alice.available).toBe(true);
    expect(JSON.parse(alice.attributes)).toMatchObject({ contact_uri: 'client:alice' });
    const available = await h.ws.workers.list({ available: 'true' });
    expect(available.map((w) => w.sid)).toEqual([setup.alice.sid]);
    const availableSid = h.sim.workspace.activityByName('Available').sid;
    const bob = await h.ws.workers(setup.bob.sid).update({ activitySid: availableSid });
    expect(bob.activityName).toBe('Available');
    expect(bob.available).toBe(true);
    await expect(h.ws.workers('WK' + 'e'.repeat(32)).fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
  });

  it('fetches and lists workflows and task queues', async () => {
    const setup = standardWorkspace(h.sim);
    const workflows = await h.ws.workflows.list();
    expect(workflows.map((w) => w.friendlyName).sort()).toEqual([
      'Assign to Anyone',
      'Recovery Ping',
    ]);
    const ping = await h.ws.workflows(setup.pingWorkflowSid).fetch();
    expect(JSON.parse(ping.configuration)).toMatchObject({
      task_routing: { filters: [{ expression: 'disconnectedWorkerSid != null' }] },
    });
    expect(ping.taskReservationTimeout).toBe(120);
    const queues = await h.ws.taskQueues.list();
    expect(queues.map((q) => q.sid)).toEqual([setup.queueSid]);
  });

  it('answers 404 for another workspace', async () => {
    await expect(
      h.client.taskrouter.v1.workspaces('WS' + 'c'.repeat(32)).tasks.list(),
    ).rejects.toMatchObject({ status: 404, code: 20404 });
  });
});
