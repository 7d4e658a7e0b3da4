import { createElement } from 'react';
import { render } from 'react-dom';
import type { FakeFlexTask, FakeTask } from 'plugin-lifeline/testing/flex-ui';
import { conference, createFakeFlex } from 'plugin-lifeline/testing/flex-ui';
import { installFakeServer, SERVER } from './fake-server.ts';
import { expose, realFlex } from './real-flex.ts';
import { CALL, OTHER, WORKER } from './sids.ts';

/**
 * The plugin, loaded through its real entry (`FlexPlugin.loadPlugin`), with its listeners in
 * the REAL Flex Actions framework. Flex's store, TaskHelper and workerClient stay the fake's:
 * they need `Manager.create`, which logs in to Twilio (see flex-runtime.test.ts). Flex's own
 * task actions resolve `sid` through TaskHelper in their payload update functions, so they
 * are re-registered here with the same update (bundle `e.updateWorkerActionPayload=function`)
 * over the fake's TaskHelper, and bodies that only record what Flex would send.
 *
 * `?scene=`: `call` (a call offered; after a reload it is wrapping, the agent's leg gone, as
 * Flex shows it) or `graceful` (a live call the agent ends).
 */
const query = new URLSearchParams(window.location.search);
const scene = query.get('scene') ?? 'call';
const server = installFakeServer();
const reloaded = sessionStorage.getItem('flex-runtime-loaded') !== null;
sessionStorage.setItem('flex-runtime-loaded', 'yes');

const fake = createFakeFlex({
  workerSid: WORKER,
  lifeline: { serverUrl: SERVER, pollIntervalMs: 300 },
});
const legs = (workerStatus: string) =>
  conference(
    CALL.conference,
    [
      { participantType: 'customer', callSid: CALL.customerCall, status: 'joined' },
      {
        participantType: 'worker',
        callSid: CALL.workerCall,
        workerSid: WORKER,
        status: workerStatus,
      },
    ],
    WORKER,
  );
const call: FakeTask = {
  taskSid: CALL.task,
  sid: CALL.reservation,
  status: scene === 'graceful' ? 'accepted' : reloaded ? 'wrapping' : 'pending',
  taskChannelUniqueName: 'voice',
  workflowSid: CALL.workflow,
  attributes: { from: '+15550001111' },
  conference: legs(reloaded && scene === 'call' ? 'left' : 'joined'),
};
fake.addTask(call, { emit: false });
// Another of the agent's tasks, not part of any recovery.
fake.addTask(
  {
    taskSid: OTHER.task,
    sid: OTHER.reservation,
    status: 'accepted',
    taskChannelUniqueName: 'chat',
    workflowSid: CALL.workflow,
    attributes: { from: 'chat' },
  },
  { emit: false },
);

const { Actions } = realFlex();
const sent: { action: string; payload: Record<string, unknown> }[] = [];
/** bundle `e.updateWorkerActionPayload=function(e){var t=r({},e);return t.task&&(t.sid=...`. */
const updateWorkerActionPayload = (input: Record<string, unknown>) => {
  const payload = { ...input };
  const task = payload['task'] as FakeFlexTask | undefined;
  if (task !== undefined) payload['sid'] = task.sid;
  if (typeof payload['sid'] === 'string' && task === undefined)
    payload['task'] = fake.flex.TaskHelper.getTaskByTaskSid(payload['sid']);
  return payload;
};
/** bundle `e.updateAcceptTaskPayload=function`: reads `t.task.conference` (throws without a task). */
const updateAcceptTaskPayload = (input: Record<string, unknown>) => {
  const payload = updateWorkerActionPayload(input);
  const task = payload['task'] as FakeFlexTask | undefined;
  if (task === undefined)
    throw new TypeError("Cannot read properties of undefined (reading 'conference')");
  const current = task.conference;
  payload['conferenceOptions'] = {
    ...(payload['conferenceOptions'] as object | undefined),
    endConferenceOnExit: !current || current.liveWorkerCount === 0,
    endConferenceOnCustomerExit: true,
  };
  return payload;
};
const body = (action: string, status?: string) => async (payload: Record<string, unknown>) => {
  const { task, ...rest } = payload;
  sent.push({ action, payload: rest });
  if (status !== undefined && task !== undefined) (task as FakeFlexTask).status = status;
  fake.changed();
};
Actions.registerAction('AcceptTask', body('AcceptTask', 'accepted'), updateAcceptTaskPayload);
for (const [action, status] of [
  ['WrapupTask', 'wrapping'],
  ['CompleteTask', 'completed'],
  ['HangupCall', 'wrapping'],
  ['EndConferenceForAll', 'wrapping'],
  ['TransferTask', undefined],
  ['SelectTask', undefined],
] as const)
  Actions.registerAction(action, body(action, status), updateWorkerActionPayload);

// What webpack's DefinePlugin and Flex's plugin loader provide in a real Flex page.
Object.assign(window, {
  __FPB_PLUGIN_UNIQUE_NAME: 'plugin-lifeline',
  __FPB_PLUGIN_VERSION: 'flex-runtime',
  __FPB_FLEX_PLUGIN_SCRIPTS_VERSION: '7.1.2',
  __FPB_FLEX_PLUGIN_VERSION: '7.1.2',
  __FPB_FLEX_UI_VERSION: realFlex().VERSION,
  __FPB_REACT_VERSION: '17.0.2',
  __FPB_REACT_DOM_VERSION: '17.0.2',
  Twilio: {
    Flex: {
      Plugins: {
        init: (Plugin: new () => { init(flex: unknown, manager: unknown): void }) =>
          new Plugin().init({ ...fake.flex, Actions }, fake.manager),
      },
    },
  },
});
await import('plugin-lifeline');
render(createElement('div', null, ...fake.rendered), document.getElementById('root'));

const settle = async (work: Promise<unknown>) => {
  try {
    await work;
    return 'resolved';
  } catch (error) {
    return `rejected: ${error instanceof Error ? error.message : String(error)}`;
  }
};
expose('pluginPage', {
  reloaded,
  invoke: (name: string, payload: Record<string, unknown>) =>
    settle(Actions.invokeAction(name, payload)),
  requests: () => server.requests(),
  sent: () => sent,
  lookups: () => [...fake.lookups],
  status: (reservationSid: string) => fake.tasks.get(reservationSid)?.status ?? null,
});
