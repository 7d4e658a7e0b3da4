/**
 * The one fake of `@twilio/flex-ui` the tests share (vitest aliases the package here). Each
 * behaviour Lifeline relies on is copied from Flex UI 2.17.1 and cites where it was read:
 * `bundle` is node_modules/@twilio/flex-ui/bundle/twilio-flex.prod.js (search for the quoted
 * symbol), `typings` is node_modules/@twilio/flex-ui/src.
 */
import type { ComponentType, ReactElement } from 'react';
import { createElement } from 'react';

export type BeforeListener = (payload: Payload, abortFunction: () => void) => unknown;
/** bundle `customEmit("after".concat(e),t)`: after-listeners get the payload and nothing else. */
export type AfterListener = (payload: Payload) => unknown;
export type Payload = Record<string, unknown>;
type PayloadUpdate = (payload: Payload) => Payload;

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
  readonly liveWorkerCount: number;
}

/**
 * bundle `"liveParticipantCount",{get:`: joined participants that are not `transfer`, with
 * the current worker counted once however many of its legs are joined. `liveWorkerCount`:
 * joined participants of type worker.
 */
export function conference(
  conferenceSid: string,
  participants: FakeParticipant[],
  currentWorkerSid = 'WK00000000000000000000000000000001',
): FakeConference {
  return {
    conferenceSid,
    participants,
    get liveParticipantCount() {
      const live = this.participants.filter(
        (p) => p.status === 'joined' && p.participantType !== 'transfer',
      );
      const mine = live.filter((p) => p.workerSid === currentWorkerSid).length;
      return mine > 1 ? live.length - (mine - 1) : live.length;
    },
    get liveWorkerCount() {
      return this.participants.filter(
        (p) => p.status === 'joined' && p.participantType === 'worker',
      ).length;
    },
  };
}

/** What a test describes: an ITask's fields. `sid` is the RESERVATION SID, as on ITask. */
export interface FakeTask {
  taskSid: string;
  sid: string;
  status: string;
  taskChannelUniqueName: string;
  workflowSid: string;
  attributes: Record<string, unknown>;
  conference?: FakeConference;
}

/**
 * Flex's ITask (bundle `t.TaskRouterTask=`): `sid` is the reservation's SID, `taskSid` the
 * task's, and `status` is read from the reservation on every access (`"status",{get:function()
 * {return this._reservation.status}`), so it is live. Setting it here stands for TaskRouter
 * updating the reservation.
 */
export interface FakeFlexTask extends FakeTask {
  readonly reservation: FakeReservation;
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
  payload: Payload;
  outcome: 'done' | 'aborted' | 'failed';
}

export class FakeActions {
  private before = new Map<string, BeforeListener[]>();
  private after = new Map<string, AfterListener[]>();
  private actions = new Map<
    string,
    { run: (p: Payload) => Promise<unknown>; update?: PayloadUpdate }
  >();
  readonly invocations: Invocation[] = [];
  /** What Flex's ErrorManager / log would have reported (listener errors never stop an action). */
  readonly errors: unknown[] = [];

  addListener(event: string, listener: BeforeListener | AfterListener) {
    const map = event.startsWith('before') ? this.before : this.after;
    map.set(event, [...(map.get(event) ?? []), listener as BeforeListener]);
    return this;
  }

  removeListener(event: string, listener: BeforeListener | AfterListener) {
    for (const map of [this.before, this.after]) {
      map.set(
        event,
        (map.get(event) ?? []).filter((l) => l !== listener),
      );
    }
    return this;
  }

  listenerCount(event: string) {
    return (this.before.get(event)?.length ?? 0) + (this.after.get(event)?.length ?? 0);
  }

  /** bundle `registerAction("AcceptTask",this.acceptTask,this.updateAcceptTaskPayload)`. */
  registerAction(
    name: string,
    run: (payload: Payload) => Promise<unknown>,
    update?: PayloadUpdate,
  ) {
    this.actions.set(name, update === undefined ? { run } : { run, update });
  }

  /**
   * bundle `e.prototype.invokeAction=function`: the payload update function first, then every
   * before-listener at once (`customEmit` is `Promise.all(listeners.map(...))`); a rejected
   * listener is logged (`catchErrorIfIsPromise`), and a throwing one is reported
   * (`ACTION_ON_BEFORE`): the action goes on either way unless `abortFunction` was called.
   * Then the action, then the after-listeners with the payload only, their errors logged.
   */
  async invokeAction(name: string, input: Payload = {}): Promise<unknown> {
    const action = this.actions.get(name);
    if (action === undefined) throw new Error(`Action ${name} does not exist!`);
    const payload = action.update ? action.update(input) : input;
    let aborted = false;
    const abortFunction = () => {
      aborted = true;
    };
    try {
      await Promise.all(
        (this.before.get(`before${name}`) ?? []).map((listener) =>
          Promise.resolve(listener(payload, abortFunction)).catch((error: unknown) => {
            this.errors.push(error);
          }),
        ),
      );
    } catch (error) {
      this.errors.push(error);
    }
    if (aborted) {
      this.invocations.push({ name, payload, outcome: 'aborted' });
      throw new Error(`Action ${name} cancelled by before event`);
    }
    let result: unknown;
    try {
      result = await action.run(payload);
    } catch (error) {
      this.invocations.push({ name, payload, outcome: 'failed' });
      throw error;
    }
    this.invocations.push({ name, payload, outcome: 'done' });
    await Promise.all(
      (this.after.get(`after${name}`) ?? []).map((listener) =>
        Promise.resolve()
          .then(() => (listener as AfterListener)(payload))
          .catch((error: unknown) => {
            this.errors.push(error);
          }),
      ),
    );
    return result;
  }
}

type Handler = (reservation: FakeReservation) => void;

export class FakeEmitter<T> {
  private handlers = new Map<string, ((value: T) => void)[]>();
  on(event: string, handler: (value: T) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  off(event: string, handler: (value: T) => void) {
    this.handlers.set(
      event,
      (this.handlers.get(event) ?? []).filter((h) => h !== handler),
    );
    return this;
  }
  emit(event: string, value: T) {
    for (const handler of this.handlers.get(event) ?? []) handler(value);
  }
}

export class FakeWorkerClient extends FakeEmitter<FakeReservation> {
  readonly reservations = new Map<string, FakeReservation>();
  constructor(
    readonly sid: string,
    readonly name: string,
    readonly attributes: Record<string, unknown>,
  ) {
    super();
  }
  override on(event: string, handler: Handler) {
    return super.on(event, handler);
  }
}

/** The Voice SDK Device (`manager.voiceClient`): `state` and the `registered` event. */
export class FakeDevice extends FakeEmitter<void> {
  removeListener(event: string, handler: () => void) {
    return this.off(event, handler);
  }
  state: 'registered' | 'unregistered' | 'registering' | 'destroyed' = 'registered';
  register() {
    this.state = 'registered';
    this.emit('registered', undefined);
  }
}

/** Handlebars' `{{name}}` as Flex's templates fill it (bundle `initWithStrings`), enough here. */
const fill = (template: string, context: Record<string, unknown>) =>
  template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => String(context[key] ?? ''));

export interface FakeNotification {
  id: string;
  content?: unknown;
  type?: string;
  timeout?: number;
  closeButton?: boolean;
}

/**
 * Flex's Notifications (typings flex-ui-core/src/NotificationManager.d.ts). A string
 * `content` naming a template is rendered with the context passed to showNotification
 * (bundle `renderMessageContent`: `"string"==typeof e&&p.templates[e]`).
 */
export function fakeNotifications(strings: () => Record<string, string>) {
  const registered = new Map<string, FakeNotification>();
  const shown: { id: string; context: Record<string, unknown>; text: string }[] = [];
  return {
    registeredNotifications: registered,
    shown,
    registerNotification(notification: FakeNotification) {
      registered.set(notification.id, notification);
    },
    showNotification(id: string, context: Record<string, unknown> = {}) {
      const notification = registered.get(id);
      if (notification === undefined) return null;
      const content = notification.content;
      const template = typeof content === 'string' ? strings()[content] : undefined;
      const text =
        template === undefined
          ? String(content)
          : fill(template, context as Record<string, unknown>);
      shown.push({ id, context, text });
      return notification;
    },
  };
}

export interface FakeTheme {
  tokens: {
    backgroundColors: Record<string, string>;
    textColors: Record<string, string>;
    borderColors: Record<string, string>;
    boxShadows: Record<string, string>;
  };
}

/** Paste's default tokens for what the modal reads (Flex's theme has every Paste token). */
export const lightTheme: FakeTheme = {
  tokens: {
    backgroundColors: {
      colorBackgroundBody: '#ffffff',
      colorBackgroundOverlay: 'rgba(18, 28, 45, 0.5)',
      colorBackgroundPrimary: '#0263e0',
      colorBackgroundStrong: '#e1e3ea',
    },
    textColors: {
      colorText: '#121c2d',
      colorTextWeak: '#606b85',
      colorTextInverse: '#ffffff',
      colorTextLink: '#0263e0',
      colorTextWarning: '#8d3118',
      colorTextSuccess: '#0c7a4e',
      colorTextError: '#d61f1f',
    },
    borderColors: {
      colorBorderPrimary: '#0263e0',
      colorBorderWarning: '#f47c22',
      colorBorderSuccess: '#14b053',
      colorBorderError: '#d61f1f',
    },
    boxShadows: {
      shadowHigh: '0 16px 24px 4px rgba(18, 28, 45, 0.2)',
      shadowFocus: '0 0 0 4px #0263e0',
    },
  },
};

export interface FakeFlexOptions {
  workerSid?: string;
  workerName?: string;
  token?: string;
  ssoToken?: string | null;
  lifeline?: Record<string, unknown>;
  theme?: FakeTheme;
  strings?: Record<string, string>;
}

export function createFakeFlex(options: FakeFlexOptions = {}) {
  const workerSid = options.workerSid ?? 'WK00000000000000000000000000000001';
  /** Flex's `worker.tasks`, keyed by RESERVATION SID (bundle `s.set(l.sid,l)` on WORKER_ADD_RESERVATION). */
  const tasks = new Map<string, FakeFlexTask>();
  const Actions = new FakeActions();
  const rendered: ReactElement[] = [];
  const workerClient = new FakeWorkerClient(workerSid, options.workerName ?? 'alice', {
    full_name: 'Alice Agent',
  });
  const voiceClient = new FakeDevice();
  const storeListeners = new Set<() => void>();
  const sso = options.ssoToken === undefined ? 'sso-token' : options.ssoToken;
  let strings: Record<string, string> = { ...(options.strings ?? {}) };
  const manager = {
    workerClient,
    voiceClient,
    user: { token: options.token ?? 'user-token' },
    store: {
      getState: () => ({
        flex: { session: sso === null ? {} : { ssoTokenPayload: { token: sso } } },
      }),
      subscribe(listener: () => void) {
        storeListeners.add(listener);
        return () => storeListeners.delete(listener);
      },
    },
    serviceConfiguration: {
      ui_attributes: { lifeline: options.lifeline ?? { serverUrl: 'https://lifeline.test' } },
    },
    configuration: {},
    /** bundle `"strings",{get:...,set:function(e){this._strings=e,...initWithStrings(e)}`. */
    get strings() {
      return strings;
    },
    set strings(value: Record<string, string>) {
      strings = value;
    },
  };
  const changed = () => storeListeners.forEach((listener) => listener());

  /** TaskHelper.getTaskByTaskSid: typings TaskHelper.d.ts "Returns task by reservation sid". */
  const lookups: string[] = [];
  const getTaskByTaskSid = (reservationSid: string) => {
    lookups.push(reservationSid);
    return tasks.get(reservationSid);
  };

  /** bundle `e.updateWorkerActionPayload=function` (and `updateVoiceActionPayload`). */
  const updateWorkerActionPayload: PayloadUpdate = (input) => {
    const payload = { ...input };
    const task = payload['task'] as FakeFlexTask | undefined;
    if (task !== undefined) payload['sid'] = task.sid;
    if (typeof payload['sid'] === 'string' && task === undefined) {
      payload['task'] = getTaskByTaskSid(payload['sid']);
    }
    return payload;
  };
  /**
   * bundle `e.updateAcceptTaskPayload=function`: conferenceOptions pre-filled before any
   * listener runs. `t.task.conference` throws when no task was found (a task SID passed).
   */
  const updateAcceptTaskPayload: PayloadUpdate = (input) => {
    const payload = updateWorkerActionPayload(input);
    const task = payload['task'] as FakeFlexTask | undefined;
    if (task === undefined)
      throw new TypeError("Cannot read properties of undefined (reading 'conference')");
    const current = task.conference;
    const options = (payload['conferenceOptions'] ?? {}) as Record<string, unknown>;
    options['endConferenceOnExit'] = !current || current.liveWorkerCount === 0;
    options['endConferenceOnCustomerExit'] = true;
    options['conferenceRecord'] = false;
    payload['conferenceOptions'] = options;
    return payload;
  };

  const setStatus = (status: string) => async (payload: Payload) => {
    const task = payload['task'] as FakeFlexTask | undefined;
    if (task === undefined) throw new Error('No task in payload');
    task.status = status;
    changed();
  };
  const selected: string[] = [];
  Actions.registerAction('AcceptTask', setStatus('accepted'), updateAcceptTaskPayload);
  Actions.registerAction('WrapupTask', setStatus('wrapping'), updateWorkerActionPayload);
  Actions.registerAction('CompleteTask', setStatus('completed'), updateWorkerActionPayload);
  Actions.registerAction('HangupCall', setStatus('wrapping'), updateWorkerActionPayload);
  Actions.registerAction('EndConferenceForAll', setStatus('wrapping'), updateWorkerActionPayload);
  Actions.registerAction('TransferTask', async () => undefined, updateWorkerActionPayload);
  /** bundle `e.selectTask=function(e){...t=e.sid||"",R.Actions.selectTask(t)`: a reservation SID. */
  Actions.registerAction(
    'SelectTask',
    async (payload) => {
      selected.push(String(payload['sid'] ?? ''));
    },
    updateWorkerActionPayload,
  );

  const notifications = fakeNotifications(() => manager.strings);
  const theme = options.theme ?? lightTheme;
  const flex = {
    Actions,
    TaskHelper: {
      getTaskByTaskSid,
      isCallTask: (task: FakeFlexTask) => task.taskChannelUniqueName === 'voice',
    },
    RootContainer: {
      Content: {
        add: (child: ReactElement) => {
          rendered.push(child);
        },
      },
    },
    Notifications: notifications,
    NotificationType: {
      information: 'information',
      success: 'success',
      warning: 'warning',
      error: 'error',
    },
    /** @emotion/react's withTheme, as Flex re-exports it (typings components/theme.d.ts). */
    withTheme<P extends { theme?: unknown }>(Component: ComponentType<P>) {
      return (props: Omit<P, 'theme'>) => createElement(Component, { ...props, theme } as P);
    },
  };

  /** Adds a task the way TaskRouter and Flex do: a reservation, then the task in the store. */
  function addTask(spec: FakeTask, { emit = true }: { emit?: boolean } = {}): FakeFlexTask {
    const reservation: FakeReservation = {
      sid: spec.sid,
      status: spec.status,
      task: {
        sid: spec.taskSid,
        attributes: spec.attributes,
        taskChannelUniqueName: spec.taskChannelUniqueName,
        workflowSid: spec.workflowSid,
      },
    };
    const task: FakeFlexTask = {
      taskSid: spec.taskSid,
      sid: spec.sid,
      taskChannelUniqueName: spec.taskChannelUniqueName,
      workflowSid: spec.workflowSid,
      attributes: spec.attributes,
      reservation,
      get status() {
        return reservation.status;
      },
      set status(value: string) {
        reservation.status = value;
      },
      ...(spec.conference === undefined ? {} : { conference: spec.conference }),
    };
    workerClient.reservations.set(reservation.sid, reservation);
    tasks.set(task.sid, task);
    changed();
    if (emit) workerClient.emit('reservationCreated', reservation);
    return task;
  }

  /** A reservation TaskRouter handed over before Flex's store has its task. */
  function addReservationOnly(spec: FakeTask): FakeReservation {
    const reservation: FakeReservation = {
      sid: spec.sid,
      status: spec.status,
      task: {
        sid: spec.taskSid,
        attributes: spec.attributes,
        taskChannelUniqueName: spec.taskChannelUniqueName,
        workflowSid: spec.workflowSid,
      },
    };
    workerClient.reservations.set(reservation.sid, reservation);
    workerClient.emit('reservationCreated', reservation);
    return reservation;
  }

  return {
    flex,
    manager,
    workerClient,
    voiceClient,
    tasks,
    rendered,
    selected,
    /** Every SID passed to TaskHelper.getTaskByTaskSid: a test checks none is a task SID. */
    lookups,
    notifications,
    addTask,
    addReservationOnly,
    changed,
    /** Flex's payload update functions, for a host that re-registers these actions. */
    updateWorkerActionPayload,
    updateAcceptTaskPayload,
  };
}

export type FakeFlex = ReturnType<typeof createFakeFlex>;

// Module-level singletons, for code that imports `@twilio/flex-ui` directly.
const shared = createFakeFlex();
export const Actions = shared.flex.Actions;
export const TaskHelper = shared.flex.TaskHelper;
export const RootContainer = shared.flex.RootContainer;
export const Notifications = shared.flex.Notifications;
export const withTheme = shared.flex.withTheme;
export const Manager = { getInstance: () => shared.manager };
