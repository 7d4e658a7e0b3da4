import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { FakeTwilio } from './fake-twilio.ts';
import {
  AGENT_CALL,
  AGENT_TOKEN,
  CONF,
  CUSTOMER,
  EXTERNAL,
  TASK,
  WORKER,
  cloudEvent,
  conferenceCallback,
  eventStreamsDelivery,
  participantFields,
  registration,
  sid,
} from './payloads.ts';

/** Steps of a recovery as Twilio and the plugin would drive them, against one or more apps. */
export class Flow {
  constructor(
    private readonly apps: () => FastifyInstance[],
    private readonly twilio: FakeTwilio,
  ) {}

  /** Sends to every app at once: a redelivery race between instances. */
  private async everywhere(send: (app: FastifyInstance) => Promise<{ statusCode: number }>) {
    const responses = await Promise.all(this.apps().map(send));
    for (const response of responses) expect(response.statusCode).toBeLessThan(300);
  }

  register() {
    return this.everywhere((app) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/conferences/${CONF}/agents`,
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
        payload: registration(),
      }),
    );
  }

  conference(event: string, fields: Record<string, string> = {}, conferenceSid = CONF) {
    const callback = conferenceCallback(event, fields, conferenceSid);
    return this.everywhere((app) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/conference-status',
        headers: callback.headers,
        payload: callback.payload,
      }),
    );
  }

  taskRouter(events: unknown[]) {
    const delivery = eventStreamsDelivery(events);
    return this.everywhere((app) =>
      app.inject({
        method: 'POST',
        url: delivery.url,
        headers: delivery.headers,
        payload: delivery.payload,
      }),
    );
  }

  async threePartyCall() {
    await this.register();
    await this.conference(
      'participant-join',
      participantFields(CUSTOMER, { ParticipantLabel: 'customer' }),
    );
    await this.conference(
      'participant-join',
      participantFields(AGENT_CALL, { ParticipantLabel: 'worker', EndConferenceOnExit: 'true' }),
    );
    await this.conference(
      'participant-join',
      participantFields(EXTERNAL, { ParticipantLabel: 'external' }),
    );
  }

  /** A callback of the conference Flex creates for the accepted task `taskSid`. */
  newConference(conferenceSid: string, taskSid: string, event: string, callSid: string) {
    return this.conference(
      event,
      participantFields(callSid, { FriendlyName: taskSid }),
      conferenceSid,
    );
  }

  /** The original call's task at TaskRouter, wrapping as Flex leaves it after the drop. */
  originalTaskWrapping(attributes: Record<string, unknown> = {}) {
    this.twilio.tasks.set(TASK, {
      sid: TASK,
      attributes: JSON.stringify({ conversations: { conversation_id: TASK }, ...attributes }),
      assignment_status: 'wrapping',
      priority: 0,
      workflow_sid: sid('WW', 1),
      version: 0,
    });
  }

  private async drain() {
    for (const app of this.apps()) await app.lifeline.runner.drain();
  }

  /** A three-party call dropped, the ping accepted and the reconnect task `taskSid` queued. */
  async reconnectQueuedAfterDrop(taskSid: string) {
    this.originalTaskWrapping();
    await this.threePartyCall();
    await this.agentDrops();
    await this.drain();
    await this.pingAccepted(this.pingTask().sid);
    await this.reconnectQueued(taskSid);
    await this.drain();
  }

  agentDrops() {
    return this.conference(
      'participant-leave',
      participantFields(AGENT_CALL, { ReasonParticipantLeft: 'participant_hung_up' }),
    );
  }

  /** The ping task the server created at the fake Twilio. */
  pingTask() {
    const task = [...this.twilio.tasks.values()].find((t) =>
      t.attributes.includes('"kind":"ping"'),
    );
    if (task === undefined) throw new Error('no ping task was created');
    return task;
  }

  private tagged(kind: string) {
    return JSON.stringify({ lifeline: { conferenceSid: CONF, recoveryId: `${CONF}:1`, kind } });
  }

  pingAccepted(taskSid: string) {
    return this.taskRouter([
      cloudEvent('reservation.accepted', {
        task_sid: taskSid,
        task_attributes: this.tagged('ping'),
        reservation_sid: sid('WR', 60),
        worker_sid: WORKER,
      }),
    ]);
  }

  reconnectQueued(taskSid: string) {
    return this.taskRouter([
      cloudEvent('task.created', { task_sid: taskSid, task_attributes: this.tagged('reconnect') }),
      cloudEvent('task-queue.entered', {
        task_sid: taskSid,
        task_attributes: this.tagged('reconnect'),
        task_queue_sid: sid('WQ', 1),
      }),
    ]);
  }

  reconnectAccepted(taskSid: string) {
    return this.taskRouter([
      cloudEvent('reservation.accepted', {
        task_sid: taskSid,
        task_attributes: this.tagged('reconnect'),
        reservation_sid: sid('WR', 61),
        worker_sid: WORKER,
      }),
    ]);
  }
}

export async function stateOf(app: FastifyInstance): Promise<unknown> {
  const stored = await app.lifeline.store.load(CONF);
  return (stored?.snapshot as { value?: unknown } | undefined)?.value;
}
