import type { Twilio } from 'twilio';
import type {
  Effect,
  EffectParams,
  EffectType,
  JsonObject,
  RecoveryEvent,
  TaskKind,
} from '@lifeline/machine';
import { isJsonObject, mergeAttributes, readRedialEvent } from '@lifeline/machine';
import { dialConferenceTwiml, enqueueTwiml } from './twiml.ts';
import { isCallGone, isNotFound, onFreshStatus } from './errors.ts';
import { customerWhereabouts, participantIn } from './customer-whereabouts.ts';
import {
  ACCEPTED_STATUSES,
  firstRecoveryTask,
  lookupTaskAssignment,
} from '../twilio/task-assignment.ts';
import { reconcileConference } from './reconcile.ts';
import { lookUpQueuedTask } from './queued-task.ts';

export interface ExecutorContext {
  client: Twilio;
  accountSid: string;
  workspaceSid: string;
  recoveryPingWorkflowSid: string;
  announcementUrl: string;
  /** HoldUrl of a customer left alone (this server's /twiml/hold). */
  holdUrl: string;
  /** This server's public origin: the Enqueue action callback and the hold TwiML live there. */
  publicBaseUrl: string;
  /** The new conference's callbacks logged under its name (store redialCallbacks). */
  redialCallbacks: (conferenceName: string) => Promise<string[]>;
  /** Whether an effect of the conference has run (store isEffectDone). */
  effectDone: (conferenceSid: string, key: string) => Promise<boolean>;
  now: () => number;
  /** When enqueueCustomer looks for the new task in its queue (queued-task.ts). */
  queuedTaskLookupsMs?: readonly number[];
}

/** The Enqueue action callback of a conference's customer (routes/twiml.ts). */
export function enqueueActionUrl(publicBaseUrl: string, conferenceSid: string): string {
  return `${publicBaseUrl}/webhooks/enqueue-ended?conferenceSid=${encodeURIComponent(conferenceSid)}`;
}

/** A recovery id is `<conferenceSid>:<n>`. */
function conferenceOf(recoveryId: string): string {
  return recoveryId.split(':')[0] ?? recoveryId;
}

/** What an executed effect reports: events for the statechart and a line for the timeline. */
export interface EffectOutcome {
  events: RecoveryEvent[];
  detail: string;
  /** Delivery ids, one per event, consumed with it: a replayed effect reports nothing twice. */
  dedupeIds?: string[];
}

/** What the runner knows about this attempt (effects/unverifiable.ts). */
export interface EffectRun {
  /**
   * An earlier request of this effect may have reached Twilio without an answer recorded:
   * a request that cannot be made twice checks, or skips, first. Always false for effects the
   * runner does not mark.
   */
  mayHaveRunBefore: boolean;
}

type Executor<K extends EffectType> = (
  params: EffectParams[K],
  ctx: ExecutorContext,
  run: EffectRun,
) => Promise<EffectOutcome>;

const done = (detail: string, events: RecoveryEvent[] = []): EffectOutcome => ({ events, detail });

function api(ctx: ExecutorContext) {
  return ctx.client.api.v2010.accounts(ctx.accountSid);
}

function workspace(ctx: ExecutorContext) {
  return ctx.client.taskrouter.v1.workspaces(ctx.workspaceSid);
}

/** A recovery's own tasks, found by the tag Lifeline put in their attributes. */
async function findTask(
  ctx: ExecutorContext,
  recoveryId: string,
  kind: TaskKind,
  statuses: string[],
): Promise<string | null> {
  const task = await firstRecoveryTask(ctx.client, ctx.workspaceSid, recoveryId, kind, statuses);
  return task?.sid ?? null;
}

const liveStatuses = ['pending', 'reserved', 'assigned', 'wrapping'];

const ifMatch = (task: VersionedTask) => (task.etag === undefined ? {} : { ifMatch: task.etag });

function parseAttributes(text: string): JsonObject {
  const parsed: unknown = JSON.parse(text);
  return isJsonObject(parsed) ? parsed : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Flex's record of the call in the task: `conference.participants.{customer,worker}`. */
function flexParticipant(attributes: JsonObject, role: 'customer' | 'worker'): string | null {
  const conference = attributes['conference'];
  if (!isJsonObject(conference)) return null;
  const participants = conference['participants'];
  return isJsonObject(participants) ? text(participants[role]) : null;
}

/** endConferenceOnExit=false on the customer's leg; a customer no longer there is fine. */
async function keepCustomerIn(
  ctx: ExecutorContext,
  conferenceSid: string,
  callSid: string,
): Promise<void> {
  try {
    await api(ctx)
      .conferences(conferenceSid)
      .participants(callSid)
      .update({ endConferenceOnExit: false });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

async function conferenceParticipants(ctx: ExecutorContext, conferenceSid: string) {
  try {
    return await api(ctx).conferences(conferenceSid).participants.list({ limit: 50 });
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

const executors: { [K in EffectType]: Executor<K> } = {
  async lookupCall(params, ctx) {
    const failed = (reason: string) =>
      done(reason, [
        { type: 'effect.callLookupFailed', at: ctx.now(), taskSid: params.taskSid, reason },
      ]);
    // TaskRouter unreachable throws (TwilioUnavailableError): the runner retries with backoff.
    const task = await lookupTaskAssignment(ctx.client, ctx.workspaceSid, params.taskSid);
    if (task === null) return failed('no such task');
    const reservations = task.reservations;
    const accepted = reservations.find((r) => ACCEPTED_STATUSES.includes(r.status));
    if (accepted === undefined) {
      // Flex joins the conference as it accepts: a pending one is about to be accepted, so
      // ask again later (the runner backs off); none at all is not a call Lifeline can recover.
      if (reservations.some((r) => r.status === 'pending')) {
        throw new Error('reservation not accepted yet');
      }
      return failed('no accepted reservation');
    }
    const attributes = parseAttributes(task.attributes);
    const participants = await conferenceParticipants(ctx, params.conferenceSid);
    const labelled = (label: string) => participants.find((p) => p.label === label)?.callSid;
    const customerCallSid =
      text(attributes['call_sid']) ??
      flexParticipant(attributes, 'customer') ??
      labelled('customer') ??
      null;
    if (customerCallSid === null) return failed('customer call not found');
    const workerCallSid =
      flexParticipant(attributes, 'worker') ??
      labelled('worker') ??
      participants.find((p) => p.callSid !== customerCallSid)?.callSid ??
      null;
    return done(`task of ${accepted.workerSid}`, [
      {
        type: 'effect.callLookedUp',
        at: ctx.now(),
        taskSid: params.taskSid,
        workflowSid: task.workflowSid,
        taskAttributes: attributes,
        customerCallSid,
        workerSid: accepted.workerSid,
        workerName: accepted.workerName,
        reservationSid: accepted.sid,
        workerCallSid,
      },
    ]);
  },

  async announceHold(params, ctx, run) {
    if (run.mayHaveRunBefore) return done(NOT_SENT_AGAIN);
    try {
      await api(ctx).conferences(params.conferenceSid).update({
        announceUrl: ctx.announcementUrl,
        announceMethod: 'GET',
      });
      return done('announcement started');
    } catch (error) {
      if (isNotFound(error)) return done('conference already gone');
      throw error;
    }
  },

  async holdCustomer(params, ctx) {
    if (params.callSid === '') return done('no customer call known');
    const participant = api(ctx).conferences(params.conferenceSid).participants(params.callSid);
    try {
      // In this order: Twilio does not apply endConferenceOnExit to a held participant.
      await participant.update({ endConferenceOnExit: false });
      await participant.update({ hold: true, holdUrl: ctx.holdUrl, holdMethod: 'GET' });
      return done('endConferenceOnExit=false, on hold with hold audio');
    } catch (error) {
      if (isNotFound(error)) return done('participant already gone');
      throw error;
    }
  },

  async keepInConference(params, ctx) {
    try {
      await api(ctx)
        .conferences(params.conferenceSid)
        .participants(params.callSid)
        .update({ endConferenceOnExit: false });
      return done('endConferenceOnExit=false');
    } catch (error) {
      if (isNotFound(error)) return done('participant already gone');
      throw error;
    }
  },

  async tagTask(params, ctx) {
    try {
      const task = await fetchTask(ctx, params.taskSid);
      const attributes = mergeAttributes(task.attributes, params.attributes);
      // If-Match: a concurrent attribute write (Flex, another effect) fails this with 412
      // instead of being overwritten; the runner retries from a fresh read.
      await workspace(ctx)
        .tasks(params.taskSid)
        .update({ attributes: JSON.stringify(attributes), ...ifMatch(task) });
      return done('attributes merged');
    } catch (error) {
      if (isNotFound(error)) return done('task already gone');
      throw error;
    }
  },

  async createPingTask(params, ctx, run) {
    // An attempt after one that may have created it finds that task (the machine asks for
    // one ping task per recovery, and the store enqueues its key once).
    const existing = run.mayHaveRunBefore
      ? await findTask(ctx, params.recoveryId, 'ping', [...liveStatuses, 'canceled', 'completed'])
      : null;
    const taskSid =
      existing ??
      (
        await workspace(ctx).tasks.create({
          workflowSid: ctx.recoveryPingWorkflowSid,
          attributes: JSON.stringify(params.attributes),
          priority: params.priority,
          timeout: params.timeoutS,
          taskChannel: 'default',
        })
      ).sid;
    return done(existing === null ? `created ${taskSid}` : `found ${taskSid}`, [
      { type: 'effect.pingTaskCreated', at: ctx.now(), recoveryId: params.recoveryId, taskSid },
    ]);
  },

  async completeTask(params, ctx) {
    if (params.taskSid === '') return done('no task to complete');
    try {
      return await onFreshStatus(async () => {
        const task = await workspace(ctx).tasks(params.taskSid).fetch();
        if (task.assignmentStatus === 'completed' || task.assignmentStatus === 'canceled') {
          return done(`already ${task.assignmentStatus}`);
        }
        await workspace(ctx)
          .tasks(params.taskSid)
          .update(
            task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping'
              ? { assignmentStatus: 'completed', reason: params.reason }
              : { assignmentStatus: 'canceled', reason: params.reason },
          );
        return done('completed');
      });
    } catch (error) {
      if (isNotFound(error)) return done('task already gone');
      throw error;
    }
  },

  async cancelTask(params, ctx) {
    // The creation must be over BEFORE the task is looked up. Looked up first, the lookup
    // could miss a task whose creation was still in flight and the check after it find the
    // creation done: the cancel ended with "no pending task", and the ping it missed was
    // accepted and stayed in the agent's list (seen in the scale-out run).
    if (
      params.taskSid === null &&
      params.createdBy !== null &&
      !(await ctx.effectDone(conferenceOf(params.recoveryId), params.createdBy))
    ) {
      // Thrown, so the runner retries: the task would appear afterwards and be accepted
      // with no call behind it.
      throw new Error('the task is still being created: cancel after it');
    }
    const taskSid =
      params.taskSid ??
      (await findTask(
        ctx,
        params.recoveryId,
        params.kind,
        params.kind === 'ping' ? liveStatuses : ['pending', 'reserved'],
      ));
    if (taskSid === null) return done('no pending task');
    try {
      return await onFreshStatus(async () => {
        const task = await workspace(ctx).tasks(taskSid).fetch();
        if (
          params.kind === 'ping' &&
          (task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping')
        ) {
          // Accepted after the recovery ended (the customer left first): a ping is Lifeline's
          // own task and means nothing now, so it must not stay in the agent's list.
          await workspace(ctx)
            .tasks(taskSid)
            .update({ assignmentStatus: 'completed', reason: params.reason });
          return done(`completed accepted ping ${taskSid}`);
        }
        if (params.kind !== 'ping' && task.assignmentStatus === 'assigned') {
          // A customer task is canceled only once its customer is gone (the recovery ended
          // for it): accepted just then, it put an agent into a call nobody will join.
          return closeAcceptedCustomerTask(ctx, taskSid, params.reason);
        }
        if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') {
          return done(`left ${task.assignmentStatus}`);
        }
        await workspace(ctx)
          .tasks(taskSid)
          .update({ assignmentStatus: 'canceled', reason: params.reason });
        return done(`canceled ${taskSid}`);
      });
    } catch (error) {
      if (isNotFound(error)) return done('task already gone');
      throw error;
    }
  },

  async retargetTask(params, ctx) {
    const taskSid =
      params.taskSid ??
      (await findTask(ctx, params.recoveryId, params.kind, ['pending', 'reserved']));
    if (taskSid === null) return done('no waiting task to retarget');
    const task = await fetchTask(ctx, taskSid);
    if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') {
      return done(`left ${task.assignmentStatus}`);
    }
    const removal: JsonObject = Object.fromEntries(
      params.removeAttributes.map((key) => [key, null]),
    );
    const attributes = mergeAttributes(task.attributes, {
      ...removal,
      ...params.setAttributes,
    });
    await workspace(ctx)
      .tasks(taskSid)
      .update({
        attributes: JSON.stringify(attributes),
        priority: params.priority,
        ...ifMatch(task),
      });
    return done(`retargeted ${taskSid}`);
  },

  async enqueueCustomer(params, ctx) {
    const existing = await findTask(ctx, params.recoveryId, params.kind, liveStatuses);
    if (existing !== null) return done(`already queued as ${existing}`);
    try {
      // Leaving the conference must not end it for whoever still waits there to be moved
      // (a party on the call): clear the customer's endConferenceOnExit first, even when
      // holdCustomer, which clears it too, is still being retried.
      await keepCustomerIn(ctx, conferenceOf(params.recoveryId), params.callSid);
      await api(ctx)
        .calls(params.callSid)
        .update({
          twiml: enqueueTwiml(
            params.workflowSid,
            params.priority,
            params.attributes,
            enqueueActionUrl(ctx.publicBaseUrl, conferenceOf(params.recoveryId)),
          ),
        });
      const queued = await lookUpQueuedTask({
        client: ctx.client,
        workspaceSid: ctx.workspaceSid,
        recoveryId: params.recoveryId,
        kind: params.kind,
        now: ctx.now,
        ...(ctx.queuedTaskLookupsMs === undefined ? {} : { lookupsMs: ctx.queuedTaskLookupsMs }),
      });
      if (queued === null) return done(`enqueued (${params.kind})`);
      return {
        events: [queued],
        detail: `enqueued (${params.kind}), in queue as ${queued.taskSid}`,
        // Event Streams' report of the same entry has its own id: the chart ignores a second.
        dedupeIds: [`queued:${queued.taskSid}`],
      };
    } catch (error) {
      if (!isCallGone(error)) throw error;
      return done('customer call already ended', [
        {
          type: 'effect.customerCallGone',
          at: ctx.now(),
          recoveryId: params.recoveryId,
          callSid: params.callSid,
        },
      ]);
    }
  },

  async completeReservation(params, ctx) {
    try {
      const reservation = await workspace(ctx)
        .tasks(params.taskSid)
        .reservations(params.reservationSid)
        .fetch();
      if (reservation.reservationStatus !== 'wrapping') {
        return done(`reservation ${reservation.reservationStatus}: left as is`);
      }
      await workspace(ctx)
        .tasks(params.taskSid)
        .reservations(params.reservationSid)
        .update({ reservationStatus: 'completed' });
      return done('wrapping reservation completed');
    } catch (error) {
      if (isNotFound(error)) return done('reservation already gone');
      throw error;
    }
  },

  async moveParticipant(params, ctx, run) {
    try {
      if (
        run.mayHaveRunBefore &&
        (await participantIn(ctx.client, ctx.accountSid, params.conferenceName, params.callSid)) !==
          null
      ) {
        return done(`already in ${params.conferenceName}`, [
          {
            type: 'effect.partyMoved',
            at: ctx.now(),
            recoveryId: params.recoveryId,
            callSid: params.callSid,
          },
        ]);
      }
      await api(ctx)
        .calls(params.callSid)
        .update({
          twiml: dialConferenceTwiml(
            params.conferenceName,
            params.label,
            params.endConferenceOnExit,
            {
              muted: params.muted,
              statusCallbackUrl: `${ctx.publicBaseUrl}/webhooks/conference-status`,
            },
          ),
        });
      return done(`moved into ${params.conferenceName}`, [
        {
          type: 'effect.partyMoved',
          at: ctx.now(),
          recoveryId: params.recoveryId,
          callSid: params.callSid,
        },
      ]);
    } catch (error) {
      if (!isCallGone(error)) throw error;
      return done('party call already ended', [
        {
          type: 'effect.partyMoveFailed',
          at: ctx.now(),
          recoveryId: params.recoveryId,
          callSid: params.callSid,
          error: 'call ended before it could be moved',
        },
      ]);
    }
  },

  async collectRedialJoins(params, ctx) {
    const events: RecoveryEvent[] = [];
    for (const entry of await ctx.redialCallbacks(params.conferenceName)) {
      const event = readRedialEvent(parseJson(entry));
      if (event !== null) events.push(event);
    }
    return done(`${events.length} callback(s) of ${params.conferenceName}`, events);
  },

  async locateCustomer(params, ctx) {
    const where = await customerWhereabouts(
      ctx.client,
      ctx.accountSid,
      params.conferenceName,
      params.customerCallSid,
    );
    if (where.kind === 'gone') {
      return done(`customer call ${where.status}`, [
        {
          type: 'effect.customerCallGone',
          at: ctx.now(),
          recoveryId: params.recoveryId,
          callSid: params.customerCallSid,
        },
      ]);
    }
    return done(
      where.kind === 'new-conference'
        ? `in ${where.conferenceSid}`
        : 'not in the new conference: still queued',
      [
        {
          type: 'effect.customerLocated',
          at: ctx.now(),
          recoveryId: params.recoveryId,
          where: where.kind,
        },
      ],
    );
  },

  async holdParty(params, ctx) {
    try {
      await api(ctx)
        .conferences(params.conferenceSid)
        .participants(params.callSid)
        .update({ hold: true });
      return done('held, as in the old conference');
    } catch (error) {
      if (isNotFound(error)) return done('participant already gone');
      throw error;
    }
  },

  reconcileConference,

  async endConference(params, ctx) {
    try {
      await api(ctx).conferences(params.conferenceSid).update({ status: 'completed' });
      return done('conference completed');
    } catch (error) {
      if (isNotFound(error)) return done('conference already gone');
      throw error;
    }
  },
};

/** The result of an announcement not sent again (effects/unverifiable.ts). */
export const NOT_SENT_AGAIN = 'not sent again: an earlier request may have reached Twilio';

/**
 * Ends the conference Flex made for an accepted customer task whose customer is gone, then
 * completes the task. The agent's leg rings before that conference exists: until it does,
 * this throws so the runner tries again (completing the task first would leave the agent
 * alone in a conference of a task no lookup accepts).
 */
async function closeAcceptedCustomerTask(
  ctx: ExecutorContext,
  taskSid: string,
  reason: string,
): Promise<EffectOutcome> {
  const live = await api(ctx).conferences.list({
    friendlyName: taskSid,
    status: 'in-progress',
    limit: 20,
  });
  if (live.length === 0) {
    throw new Error(`accepted task ${taskSid} has no conference yet: end it once the agent is in`);
  }
  for (const conference of live) {
    try {
      await api(ctx).conferences(conference.sid).update({ status: 'completed' });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  await workspace(ctx).tasks(taskSid).update({ assignmentStatus: 'completed', reason });
  return done(`ended the call of accepted ${taskSid} and completed it (its customer is gone)`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

interface VersionedTask {
  sid: string;
  assignmentStatus: string;
  attributes: JsonObject;
  /** TaskRouter's ETag for this version of the task, for If-Match on the update. */
  etag: string | undefined;
}

class TwilioHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Fetches a task with its ETag. twilio-node's typed fetch drops response headers, so this
 * one read goes through the same client's raw request (same auth, origin and concurrency cap).
 */
async function fetchTask(ctx: ExecutorContext, taskSid: string): Promise<VersionedTask> {
  const response = await ctx.client.request({
    method: 'get',
    uri: `https://taskrouter.twilio.com/v1/Workspaces/${ctx.workspaceSid}/Tasks/${taskSid}`,
  });
  const body: unknown =
    typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
  const json = isJsonObject(body) ? body : {};
  if (response.statusCode >= 400) {
    const code = typeof json['code'] === 'number' ? json['code'] : undefined;
    throw new TwilioHttpError(
      response.statusCode,
      code,
      String(json['message'] ?? 'task fetch failed'),
    );
  }
  const headers = response.headers as Record<string, string | undefined> | undefined;
  return {
    sid: taskSid,
    assignmentStatus: String(json['assignment_status']),
    attributes: parseAttributes(String(json['attributes'] ?? '{}')),
    etag: headers?.['etag'] ?? headers?.['ETag'],
  };
}

export async function execute(
  effect: Effect,
  ctx: ExecutorContext,
  run: EffectRun,
): Promise<EffectOutcome> {
  const executor = executors[effect.type] as Executor<typeof effect.type>;
  return executor(effect.params as never, ctx, run);
}
