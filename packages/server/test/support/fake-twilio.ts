import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';

/**
 * A recording stand-in for the few Twilio endpoints the server's effects call, for server
 * tests that must count REST calls. The full local Twilio is packages/simulator.
 */
export interface RecordedCall {
  method: string;
  path: string;
  body: Record<string, string>;
}

export interface FakeTask {
  sid: string;
  attributes: string;
  assignment_status: string;
  priority: number;
  workflow_sid: string;
  version: number;
  /** The TaskQueue it waits in (TaskRouter sets it once the workflow routed the task). */
  task_queue_sid?: string | null;
}

export interface FakeParticipant {
  call_sid: string;
  label: string | null;
  status: 'connected' | 'connecting' | 'ringing';
  hold: boolean;
  muted: boolean;
  coaching: boolean;
  end_conference_on_exit: boolean;
}

export interface FakeTwilio {
  url: string;
  calls: RecordedCall[];
  tasks: Map<string, FakeTask>;
  /** Answer the next n mutating requests with this status (429/500 bursts). */
  failNext(n: number, status: number): void;
  /** Answer the next n reads (GET) with this status. */
  failReadsNext(n: number, status: number): void;
  /** Tokens the fake IAM accepts: token → {worker_sid, roles}. */
  tokens: Map<string, { worker_sid: string; roles: string[] }>;
  /** Reservation SID → status (default: wrapping for a fetch, accepted in a task's list). */
  reservations: Map<string, string>;
  /** Task SID → the reservations on it, for a task's reservation list. */
  taskReservations: Map<string, { sid: string; worker_sid: string }[]>;
  /** Conference SID → FriendlyName (Flex: the task SID). */
  conferences: Map<string, string>;
  /**
   * Conference SID → who is in it as Twilio's participant list says (the conference itself
   * is listed live when it is also in `conferences`).
   */
  participants: Map<string, FakeParticipant[]>;
  /** Call SID → its status for a fetch (default in-progress; 'not-found' answers 404). */
  callStatuses: Map<string, string>;
  /** TaskRouter as Flex leaves it after accept: the conference is the task's, the worker holds it. */
  assign(assignment: {
    conferenceSid: string;
    taskSid: string;
    workerSid: string;
    reservationSid: string;
  }): void;
  /**
   * Runs `change` right after the next fetch of this task is answered: TaskRouter moving the
   * task on (a reservation accepted) between the server's read and its update.
   */
  afterNextFetch(taskSid: string, change: (task: FakeTask) => void): void;
  /** Holds every token validation until the returned release is called. */
  holdValidations(): () => void;
  /** Token validations in flight right now, and the most ever at once. */
  validations: { active: number; peak: number };
  close(): Promise<void>;
  mutations(pathPart: string): RecordedCall[];
  /** Runs after each request is recorded, before it is answered (what Twilio does meanwhile). */
  onRequest(listener: (call: RecordedCall) => void): void;
}

// Far from the SIDs tests pick by hand (sid(prefix, small n)).
let counter = 0x10000;
const hex = () => (++counter).toString(16).padStart(32, '0');

/** Enough of TaskRouter's EvaluateTaskAttributes for `a.b == "x" AND c.d == "y"`. */
function matches(attributes: string, expression: string): boolean {
  const parsed = JSON.parse(attributes) as Record<string, unknown>;
  return expression.split(/\s+AND\s+/i).every((clause) => {
    const m = /^\s*([\w.]+)\s*==\s*"([^"]*)"\s*$/.exec(clause);
    if (!m?.[1]) return false;
    let value: unknown = parsed;
    for (const part of m[1].split('.'))
      value = (value as Record<string, unknown> | undefined)?.[part];
    return value === m[2];
  });
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const app: FastifyInstance = Fastify();
  await app.register(formbody);
  const calls: RecordedCall[] = [];
  const tasks = new Map<string, FakeTask>();
  const tokens = new Map<string, { worker_sid: string; roles: string[] }>();
  const reservations = new Map<string, string>();
  const taskReservations = new Map<string, { sid: string; worker_sid: string }[]>();
  const conferences = new Map<string, string>();
  const participants = new Map<string, FakeParticipant[]>();
  const callStatuses = new Map<string, string>();
  // Tasks known only through assign(): fetchable, but not among the tasks the server created.
  const assignedTasks = new Set<string>();
  const validations = { active: 0, peak: 0 };
  const afterFetch = new Map<string, (task: FakeTask) => void>();
  let held: Promise<void> | null = null;
  let failures: { n: number; status: number } = { n: 0, status: 500 };
  let readFailures: { n: number; status: number } = { n: 0, status: 500 };

  const taskJson = (task: FakeTask) => ({
    sid: task.sid,
    attributes: task.attributes,
    assignment_status: task.assignment_status,
    priority: task.priority,
    workflow_sid: task.workflow_sid,
    task_queue_sid: task.task_queue_sid ?? null,
    date_updated: new Date().toISOString(),
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' && readFailures.n > 0) {
      readFailures.n -= 1;
      return reply
        .code(readFailures.status)
        .send({ code: 20500, message: 'Internal Error', status: readFailures.status });
    }
    if (request.method !== 'GET' && failures.n > 0 && !request.url.includes('/Tokens/validate')) {
      failures.n -= 1;
      return reply
        .code(failures.status)
        .send({ code: 20429, message: 'Too Many Requests', status: failures.status });
    }
  });
  const listeners: ((call: RecordedCall) => void)[] = [];
  app.addHook('preHandler', async (request) => {
    const call = {
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      body: (request.body ?? {}) as Record<string, string>,
    };
    calls.push(call);
    for (const listener of listeners) listener(call);
  });

  app.post('/v1/Accounts/:account/Tokens/validate', async (request) => {
    const { token } = request.body as { token: string };
    validations.active += 1;
    validations.peak = Math.max(validations.peak, validations.active);
    try {
      if (held !== null) await held;
    } finally {
      validations.active -= 1;
    }
    const known = tokens.get(token);
    return known === undefined
      ? { valid: false, message: 'token invalid' }
      : {
          valid: true,
          ...known,
          identity: known.worker_sid,
          expiration: new Date(Date.now() + 3600_000).toISOString(),
        };
  });
  // Twilio's list pages: the rows, and `next_page_uri: null` so the client stops there.
  app.get('/2010-04-01/Accounts/:account/Conferences.json', async (request) => {
    const query = request.query as Record<string, string>;
    const rows = [...conferences]
      .filter(([, name]) => query['FriendlyName'] === undefined || name === query['FriendlyName'])
      .map(([sid, name]) => ({ sid, friendly_name: name, status: 'in-progress' }));
    return { conferences: rows, next_page_uri: null, page: 0, page_size: 50 };
  });
  app.get(
    '/2010-04-01/Accounts/:account/Conferences/:conf/Participants.json',
    async (request, reply) => {
      const conf = (request.params as { conf: string }).conf;
      if (!conferences.has(conf))
        return reply.code(404).send({ code: 20404, message: 'not found', status: 404 });
      const rows = (participants.get(conf) ?? []).map((p) => ({ ...p, conference_sid: conf }));
      return { participants: rows, next_page_uri: null, page: 0, page_size: 50 };
    },
  );
  app.get('/2010-04-01/Accounts/:account/Conferences/:sid.json', async (request, reply) => {
    const sid = (request.params as { sid: string }).sid;
    const friendlyName = conferences.get(sid);
    if (friendlyName === undefined)
      return reply.code(404).send({ code: 20404, message: 'not found', status: 404 });
    return { sid, friendly_name: friendlyName, status: 'in-progress' };
  });
  app.post('/2010-04-01/Accounts/:account/Conferences/:sid.json', async (request) => ({
    sid: (request.params as { sid: string }).sid,
    status: (request.body as Record<string, string>)['Status'] ?? 'in-progress',
  }));
  app.post(
    '/2010-04-01/Accounts/:account/Conferences/:conf/Participants/:call.json',
    async (request, reply) => {
      const { conf, call } = request.params as { conf: string; call: string };
      // A conference whose participant list the test set answers 404 for anyone not in it,
      // as Twilio does for a participant who left.
      const listed = participants.get(conf);
      if (listed !== undefined && !listed.some((p) => p.call_sid === call)) {
        return reply.code(404).send({ code: 20404, message: 'not found', status: 404 });
      }
      return { call_sid: call };
    },
  );
  app.get('/2010-04-01/Accounts/:account/Calls/:sid.json', async (request, reply) => {
    const sid = (request.params as { sid: string }).sid;
    const status = callStatuses.get(sid) ?? 'in-progress';
    if (status === 'not-found')
      return reply.code(404).send({ code: 20404, message: 'not found', status: 404 });
    return { sid, status };
  });
  app.post('/2010-04-01/Accounts/:account/Calls/:sid.json', async (request) => ({
    sid: (request.params as { sid: string }).sid,
    status: 'in-progress',
  }));
  app.get('/v1/Workspaces/:ws/Tasks', async (request) => {
    const query = request.query as Record<string, string | string[]>;
    const expression = String(query['EvaluateTaskAttributes'] ?? '');
    const statuses = ([] as string[]).concat(query['AssignmentStatus'] ?? []);
    const found = [...tasks.values()].filter(
      (task) =>
        (expression === '' || matches(task.attributes, expression)) &&
        (statuses.length === 0 || statuses.includes(task.assignment_status)),
    );
    return {
      tasks: found.map(taskJson),
      meta: { key: 'tasks', page: 0, page_size: 50, next_page_url: null },
    };
  });
  app.post('/v1/Workspaces/:ws/Tasks', async (request) => {
    const body = request.body as Record<string, string>;
    const task: FakeTask = {
      sid: `WT${hex()}`,
      attributes: body['Attributes'] ?? '{}',
      assignment_status: 'pending',
      priority: Number(body['Priority'] ?? 0),
      workflow_sid: body['WorkflowSid'] ?? '',
      version: 0,
    };
    tasks.set(task.sid, task);
    return taskJson(task);
  });
  app.get('/v1/Workspaces/:ws/Tasks/:sid', async (request, reply) => {
    const sid = (request.params as { sid: string }).sid;
    const task =
      tasks.get(sid) ??
      (assignedTasks.has(sid)
        ? {
            sid,
            attributes: '{}',
            assignment_status: 'assigned',
            priority: 0,
            workflow_sid: '',
            version: 0,
          }
        : undefined);
    if (task === undefined)
      return reply.code(404).send({ code: 20404, message: 'not found', status: 404 });
    const answer = taskJson(task);
    const change = afterFetch.get(sid);
    afterFetch.delete(sid);
    change?.(task);
    return reply.header('ETag', String(task.version)).send(answer);
  });
  app.post('/v1/Workspaces/:ws/Tasks/:sid', async (request, reply) => {
    const task = tasks.get((request.params as { sid: string }).sid);
    if (task === undefined)
      return reply.code(404).send({ code: 20404, message: 'not found', status: 404 });
    const ifMatch = request.headers['if-match'];
    if (typeof ifMatch === 'string' && ifMatch !== String(task.version)) {
      return reply.code(412).send({ code: 20412, message: 'precondition failed', status: 412 });
    }
    const body = request.body as Record<string, string>;
    if (
      body['AssignmentStatus'] === 'canceled' &&
      task.assignment_status !== 'pending' &&
      task.assignment_status !== 'reserved'
    ) {
      // TaskRouter's answer to canceling a task that has moved on (Tasks resource, Update:
      // "canceled" only from pending or reserved).
      return reply.code(400).send({
        code: 20001,
        message: `Cannot cancel task because it is not pending or reserved`,
        status: 400,
      });
    }
    if (body['Attributes'] !== undefined) task.attributes = body['Attributes'];
    if (body['AssignmentStatus'] !== undefined) task.assignment_status = body['AssignmentStatus'];
    if (body['Priority'] !== undefined) task.priority = Number(body['Priority']);
    task.version += 1;
    return taskJson(task);
  });
  app.get('/v1/Workspaces/:ws/Tasks/:task/Reservations', async (request) => {
    const task = (request.params as { task: string }).task;
    return {
      reservations: (taskReservations.get(task) ?? []).map((reservation) => ({
        sid: reservation.sid,
        task_sid: task,
        worker_sid: reservation.worker_sid,
        reservation_status: reservations.get(reservation.sid) ?? 'accepted',
      })),
      meta: { key: 'reservations', page: 0, page_size: 50, next_page_url: null },
    };
  });
  app.get('/v1/Workspaces/:ws/Tasks/:task/Reservations/:sid', async (request) => {
    const sid = (request.params as { sid: string }).sid;
    return { sid, reservation_status: reservations.get(sid) ?? 'wrapping' };
  });
  app.post('/v1/Workspaces/:ws/Tasks/:task/Reservations/:sid', async (request) => {
    const sid = (request.params as { sid: string }).sid;
    const status = (request.body as Record<string, string>)['ReservationStatus'] ?? 'wrapping';
    reservations.set(sid, status);
    return { sid, reservation_status: status };
  });

  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    calls,
    tasks,
    tokens,
    reservations,
    taskReservations,
    conferences,
    participants,
    callStatuses,
    validations,
    assign({ conferenceSid, taskSid, workerSid, reservationSid }) {
      conferences.set(conferenceSid, taskSid);
      assignedTasks.add(taskSid);
      const list = taskReservations.get(taskSid) ?? [];
      list.push({ sid: reservationSid, worker_sid: workerSid });
      taskReservations.set(taskSid, list);
    },
    afterNextFetch(taskSid, change) {
      afterFetch.set(taskSid, change);
    },
    holdValidations() {
      let release: () => void = () => undefined;
      held = new Promise<void>((resolve) => {
        release = () => {
          held = null;
          resolve();
        };
      });
      return () => release();
    },
    failReadsNext(n, status) {
      readFailures = { n, status };
    },
    failNext(n, status) {
      failures = { n, status };
    },
    onRequest(listener) {
      listeners.push(listener);
    },
    mutations(pathPart) {
      return calls.filter((call) => call.method === 'POST' && call.path.includes(pathPart));
    },
    close: () => app.close(),
  };
}
