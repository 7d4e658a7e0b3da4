import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { signedSinkUrl, waitFor } from '../src/index.ts';
import { harness, standardWorkspace, useHarness } from './support/sim.ts';
import { authToken, workspaceSid } from './support/ids.ts';

const h = useHarness();

describe('Event Streams webhook sink', () => {
  it('posts batches of CloudEvents signed over the URL carrying bodySHA256', async () => {
    const setup = standardWorkspace(h.sim);
    const task = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: JSON.stringify({ lifeline: { kind: 'reconnect' } }),
    });
    const reservation = await waitFor(() =>
      h.sim.world.taskrouter.reservations.pendingFor(task.sid),
    );
    await h.ws
      .tasks(task.sid)
      .reservations(reservation.sid)
      .update({ reservationStatus: 'accepted' });
    await h.ws.tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'done' });
    await waitFor(() => h.receiver.cloudEvents().some((e) => e.type.endsWith('task.completed')));
    await h.sim.webhooksIdle();
    const batches = h.receiver.received.filter((r) => r.path === '/events');
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) {
      expect(Array.isArray(batch.json)).toBe(true);
      expect(batch.signatureValid).toBe(true);
      expect(new URL(batch.url).searchParams.get('bodySHA256')).toBe(
        twilio.getExpectedBodyHash(batch.rawBody),
      );
    }
    // Batches travel independently, so arrival order is not guaranteed (as on Twilio): the
    // order is checked on what was produced, the arrivals as a set.
    const produced = h.sim.eventStreams.produced.map((e) =>
      String(e['type']).replace('com.twilio.taskrouter.', ''),
    );
    const types = h.receiver.cloudEvents().map((e) => e.type.replace('com.twilio.taskrouter.', ''));
    expect([...types].sort()).toEqual([...produced].sort());
    expect(produced).toEqual([
      'task.created',
      'task-queue.entered',
      'reservation.created',
      'reservation.accepted',
      'reservation.completed',
      'task.completed',
    ]);
    const ids = h.receiver.cloudEvents().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const accepted = h.receiver
      .cloudEvents()
      .find((e) => e.type === 'com.twilio.taskrouter.reservation.accepted');
    expect(accepted).toMatchObject({
      specversion: '1.0',
      source: expect.stringContaining(workspaceSid) as unknown,
      datacontenttype: 'application/json',
      dataschema: expect.stringMatching(
        /^https:\/\/events-schemas\.twilio\.com\/TaskRouter\./,
      ) as unknown,
      time: expect.stringMatching(/Z$/) as unknown,
    });
    expect(accepted?.data.payload).toMatchObject({
      eventtype: 'reservation.accepted',
      task_sid: task.sid,
      task_attributes: JSON.stringify({ lifeline: { kind: 'reconnect' } }),
      task_channel_unique_name: 'default',
      workflow_sid: setup.voiceWorkflowSid,
      reservation_sid: reservation.sid,
      worker_sid: setup.alice.sid,
      task_queue_sid: setup.queueSid,
    });
    expect(typeof accepted?.data.payload['timestamp']).toBe('string');
  });

  it('carries task_canceled_reason on task.canceled', async () => {
    const setup = standardWorkspace(h.sim);
    h.sim.workspace.setActivity(setup.alice.sid, 'Offline');
    const task = await h.ws.tasks.create({
      workflowSid: setup.pingWorkflowSid,
      attributes: '{}',
      timeout: 5,
    });
    const canceled = await waitFor(() =>
      h.receiver.cloudEvents().find((e) => e.type.endsWith('task.canceled')),
    );
    expect(canceled.data.payload).toMatchObject({
      task_sid: task.sid,
      task_canceled_reason: 'Task TTL Exceeded',
    });
  });

  it('retries a batch with backoff while the receiver answers 5xx, then delivers it', async () => {
    const setup = standardWorkspace(h.sim);
    let failures = 3;
    h.receiver.respond((r) =>
      r.path === '/events' && failures-- > 0 ? { status: 503 } : { status: 200 },
    );
    await h.ws.tasks.create({ workflowSid: setup.voiceWorkflowSid, attributes: '{}' });
    await waitFor(() => h.receiver.received.some((r) => r.path === '/events'));
    await h.sim.webhooksIdle();
    const attempts = h.sim.webhooks.of('event-streams');
    const first = attempts[0]?.webhookId;
    const sameBatch = attempts.filter((a) => a.webhookId === first);
    expect(sameBatch.map((a) => a.status)).toEqual([503, 503, 503, 200]);
    const gaps = sameBatch.slice(1).map((a, i) => a.at - (sameBatch[i]?.at ?? 0));
    expect(gaps[2] ?? 0).toBeGreaterThanOrEqual(gaps[0] ?? 0);
  });

  it('retries when the receiver does not answer within the timeout', async () => {
    const setup = standardWorkspace(h.sim);
    let slow = true;
    h.receiver.respond((r) => {
      if (r.path === '/events' && slow) {
        slow = false;
        return { status: 200, delayMs: 800 }; // beyond eventStreamsTimeoutMs (500 in fast timing)
      }
      return { status: 200 };
    });
    await h.ws.tasks.create({ workflowSid: setup.voiceWorkflowSid, attributes: '{}' });
    await waitFor(() => h.sim.webhooks.of('event-streams').some((a) => a.ok));
    const attempts = h.sim.webhooks.of('event-streams');
    expect(attempts[0]?.error).toMatch(/no answer/);
    expect(attempts[1]?.webhookId).toBe(attempts[0]?.webhookId);
  });

  it('keeps retrying while the receiver is down and delivers when it is back (at least once)', async () => {
    const setup = standardWorkspace(h.sim);
    const outage = h.sim.faults.receiverDown(`${h.receiver.origin}/events`);
    await h.ws.tasks.create({ workflowSid: setup.voiceWorkflowSid, attributes: '{}' });
    await waitFor(() => h.sim.webhooks.of('event-streams').length >= 3);
    expect(h.receiver.received.filter((r) => r.path === '/events')).toEqual([]);
    outage.restore();
    await waitFor(() => h.receiver.cloudEvents().some((e) => e.type.endsWith('task.created')));
  });

  it('exposes the signed URL helper the receiver can check against', () => {
    const body = '[{"id":"x"}]';
    const url = signedSinkUrl('http://127.0.0.1:1/events', body);
    const signature = twilio.getExpectedTwilioSignature(authToken, url, {});
    expect(twilio.validateRequestWithBody(authToken, signature, url, body)).toBe(true);
  });

  it('posts single CloudEvent objects when batch_events is off', async () => {
    const single = await harness({ eventStreamsBatchEvents: false });
    try {
      const setup = standardWorkspace(single.sim);
      await single.client.taskrouter.v1
        .workspaces(workspaceSid)
        .tasks.create({ workflowSid: setup.voiceWorkflowSid, attributes: '{}' });
      const first = await waitFor(() => single.receiver.received.find((r) => r.path === '/events'));
      expect(Array.isArray(first.json)).toBe(false);
      expect(first.json).toMatchObject({
        specversion: '1.0',
        type: 'com.twilio.taskrouter.task.created',
      });
      expect(first.signatureValid).toBe(true);
    } finally {
      await single.close();
    }
  });
});
