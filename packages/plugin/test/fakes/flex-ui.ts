/**
 * The one fake of `@twilio/flex-ui` the tests share (vitest aliases the package here). It
 * copies the behaviour Lifeline relies on from Flex UI 2.x: Actions run "before" listeners
 * (awaited, any of them may call abortFunction, which cancels the action and rejects
 * invokeAction), then the action, then "after" listeners; an action payload's `sid` is
 * resolved into `payload.task` first; the workerClient emits `reservationCreated`; tasks
 * carry their conference; RootContainer.Content collects the components plugins add.
 */
import type { ReactElement } from 'react';

export type Listener = (payload: Record<string, unknown>, abortFunction: () => void) => unknown;

export interface FakeParticipant {
  participantType: string;
  callSid?: string;
  workerSid?: string;
  status: string;
}

export interface FakeConference {
  conferenceSid: string;
  participants: FakeParticipant[];
  readonly liveParticipantCount: number;
}

export function conference(conferenceSid: string, participants: FakeParticipant[]): FakeConference {
  return {
    conferenceSid,
    participants,
    get liveParticipantCount() {
      return this.participants.filter((p) => p.status === 'joined').length;
    },
  };
}

export interface FakeTask {
  taskSid: string;
  sid: string;
  status: string;
  taskChannelUniqueName: string;
  workflowSid: string;
  attributes: Record<string, unknown>;
  conference?: FakeConference;
}

export interface FakeReservation {
  sid: string;
  status: string;
  task: {
    sid: string;
    attributes: Record<string, unknown>;
    taskChannelUniqueName: string;
    workflowSid: string;
  };
}

export interface Invocation {
  name: string;
  payload: Record<string, unknown>;
  outcome: 'done' | 'aborted';
}

export class FakeActions {
  private listeners = new Map<string, Listener[]>();
  private actions = new Map<string, (payload: Record<string, unknown>) => Promise<unknown>>();
  readonly invocations: Invocation[] = [];

  constructor(private readonly resolveTask: (sid: string) => FakeTask | undefined) {}

  addListener(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  removeListener(event: string, listener: Listener) {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }

  listenerCount(event: string) {
    return this.listeners.get(event)?.length ?? 0;
  }

  registerAction(name: string, action: (payload: Record<string, unknown>) => Promise<unknown>) {
    this.actions.set(name, action);
  }

  async invokeAction(name: string, input: Record<string, unknown> = {}): Promise<unknown> {
    const payload = { ...input };
    if (payload['task'] === undefined && typeof payload['sid'] === 'string') {
      payload['task'] = this.resolveTask(payload['sid']);
    }
    let aborted = false;
    const abortFunction = () => {
      aborted = true;
    };
    for (const listener of this.listeners.get(`before${name}`) ?? []) {
      await listener(payload, abortFunction);
    }
    if (aborted) {
      this.invocations.push({ name, payload, outcome: 'aborted' });
      throw new Error(`Action ${name} cancelled by before event`);
    }
    const result = await this.actions.get(name)?.(payload);
    this.invocations.push({ name, payload, outcome: 'done' });
    for (const listener of this.listeners.get(`after${name}`) ?? []) {
      await listener(payload, abortFunction);
    }
    return result;
  }
}

type Handler = (reservation: FakeReservation) => void;

export class FakeWorkerClient {
  readonly reservations = new Map<string, FakeReservation>();
  private handlers = new Map<string, Handler[]>();

  constructor(
    readonly sid: string,
    readonly name: string,
    readonly attributes: Record<string, unknown>,
  ) {}

  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  off(event: string, handler: Handler) {
    this.handlers.set(
      event,
      (this.handlers.get(event) ?? []).filter((h) => h !== handler),
    );
    return this;
  }

  emit(event: string, reservation: FakeReservation) {
    for (const handler of this.handlers.get(event) ?? []) handler(reservation);
  }
}

export interface FakeFlexOptions {
  workerSid?: string;
  workerName?: string;
  token?: string;
  ssoToken?: string | null;
  lifeline?: Record<string, unknown>;
}

export function createFakeFlex(options: FakeFlexOptions = {}) {
  const tasks = new Map<string, FakeTask>();
  const findTask = (sid: string) =>
    tasks.get(sid) ?? [...tasks.values()].find((task) => task.sid === sid);
  const Actions = new FakeActions(findTask);
  const rendered: ReactElement[] = [];
  const workerClient = new FakeWorkerClient(
    options.workerSid ?? 'WK00000000000000000000000000000001',
    options.workerName ?? 'alice',
    { full_name: 'Alice Agent' },
  );
  const sso = options.ssoToken === undefined ? 'sso-token' : options.ssoToken;
  const manager = {
    workerClient,
    user: { token: options.token ?? 'user-token' },
    store: {
      getState: () => ({
        flex: { session: sso === null ? {} : { ssoTokenPayload: { token: sso } } },
      }),
    },
    serviceConfiguration: {
      ui_attributes: { lifeline: options.lifeline ?? { serverUrl: 'https://lifeline.test' } },
    },
    configuration: {},
  };

  const setStatus = (status: string) => async (payload: Record<string, unknown>) => {
    const task = payload['task'] as FakeTask | undefined;
    if (task !== undefined) task.status = status;
  };
  Actions.registerAction('AcceptTask', setStatus('accepted'));
  Actions.registerAction('WrapupTask', setStatus('wrapping'));
  Actions.registerAction('CompleteTask', setStatus('completed'));
  Actions.registerAction('HangupCall', setStatus('wrapping'));
  Actions.registerAction('TransferTask', async () => undefined);

  const flex = {
    Actions,
    TaskHelper: {
      getTaskByTaskSid: (taskSid: string) => tasks.get(taskSid),
      isCallTask: (task: FakeTask) => task.taskChannelUniqueName === 'voice',
    },
    RootContainer: {
      Content: {
        add: (child: ReactElement) => {
          rendered.push(child);
        },
      },
    },
  };

  /** Adds a task the way TaskRouter and Flex do: a reservation, then the task in the store. */
  function addTask(task: FakeTask, { emit = true }: { emit?: boolean } = {}) {
    tasks.set(task.taskSid, task);
    const reservation: FakeReservation = {
      sid: task.sid,
      status: task.status,
      task: {
        sid: task.taskSid,
        attributes: task.attributes,
        taskChannelUniqueName: task.taskChannelUniqueName,
        workflowSid: task.workflowSid,
      },
    };
    workerClient.reservations.set(task.sid, reservation);
    if (emit) workerClient.emit('reservationCreated', reservation);
    return task;
  }

  return { flex, manager, workerClient, tasks, rendered, addTask };
}

export type FakeFlex = ReturnType<typeof createFakeFlex>;

// Module-level singletons, for code that imports `@twilio/flex-ui` directly.
const shared = createFakeFlex();
export const Actions = shared.flex.Actions;
export const TaskHelper = shared.flex.TaskHelper;
export const RootContainer = shared.flex.RootContainer;
export const Manager = { getInstance: () => shared.manager };
