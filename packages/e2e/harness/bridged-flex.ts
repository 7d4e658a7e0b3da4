import type {
  AcceptRequest,
  BridgeSession,
  DeskState,
  DeskTask,
  TaskRequest,
} from '../test/browser/bridge-protocol.ts';
import type { FakeFlex, FakeTask } from 'plugin-lifeline/testing/flex-ui';
import { conference, createFakeFlex } from 'plugin-lifeline/testing/flex-ui';

/**
 * The fake Flex of the page, fed by the test's bridge (test/browser/bridge.ts) from the
 * simulator: the worker's reservations arrive by polling (what TaskRouter's worker connection
 * delivers to Flex), Accept/Wrap up/Complete go back as Flex's backend sends them, and a
 * Voice SDK "device" connection lives as long as the page: when the page goes, its call leg
 * drops. The plugin runs unchanged on top, talking to the real Lifeline server.
 */
const POLL_MS = 100;

async function call<T>(url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`bridge: ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

function toFake(task: DeskTask): FakeTask {
  return {
    taskSid: task.taskSid,
    sid: task.reservationSid,
    status: task.status,
    taskChannelUniqueName: task.channel,
    workflowSid: task.workflowSid,
    attributes: task.attributes,
    ...(task.conference === null
      ? {}
      : { conference: conference(task.conference.conferenceSid, task.conference.participants) }),
  };
}

/**
 * Brings Flex's store up to date; new reservations are announced as the workerClient does.
 * Flex keys `worker.tasks` by RESERVATION SID, and so does the fake: a reconnect task is a
 * new task with a new reservation, never a new reservation of a known task.
 */
function apply(fake: FakeFlex, desk: DeskState, announce: boolean): void {
  const current = new Set(desk.tasks.map((t) => t.reservationSid));
  for (const reservationSid of [...fake.tasks.keys()]) {
    if (current.has(reservationSid)) continue;
    // Completed, canceled or timed out: Flex drops it from the worker's list.
    fake.tasks.delete(reservationSid);
    fake.workerClient.reservations.delete(reservationSid);
  }
  for (const next of desk.tasks) {
    const known = fake.tasks.get(next.reservationSid);
    if (known === undefined) {
      fake.addTask(toFake(next), { emit: announce });
      continue;
    }
    const fresh = toFake(next);
    // The ITask's status is the reservation's (a live getter in the fake, as in Flex).
    known.status = fresh.status;
    known.attributes = fresh.attributes;
    if (fresh.conference !== undefined) known.conference = fresh.conference;
  }
}

export interface BridgedFlex {
  fake: FakeFlex;
  /** Starts delivering reservations (after the plugin is loaded, as Flex does). */
  start(onChange: () => void): void;
}

export async function bridgedFlex(
  bridgeUrl: string,
  workerSid: string,
  lifeline: Record<string, unknown>,
): Promise<BridgedFlex> {
  const session = await call<BridgeSession>(`${bridgeUrl}/session?worker=${workerSid}`);
  const fake = createFakeFlex({
    workerSid,
    workerName: session.workerName,
    ssoToken: session.token,
    lifeline,
  });
  // The Voice SDK device registers with the page; closing the page closes it.
  new EventSource(`${bridgeUrl}/device?worker=${workerSid}`);
  const deskUrl = `${bridgeUrl}/desk?worker=${workerSid}`;
  apply(fake, await call<DeskState>(deskUrl), false);

  const taskOf = (payload: Record<string, unknown>) => payload['task'] as FakeTask | undefined;
  const taskRequest = (task: FakeTask): TaskRequest => ({
    taskSid: task.taskSid,
    reservationSid: task.sid,
  });
  fake.flex.Actions.registerAction(
    'AcceptTask',
    async (payload) => {
      const task = taskOf(payload);
      if (task === undefined) return;
      const options = payload['conferenceOptions'];
      const conferenceOptions =
        typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
      const request: AcceptRequest = {
        ...taskRequest(task),
        ...(task.taskChannelUniqueName === 'voice' ? { conferenceOptions } : {}),
      };
      await call(`${bridgeUrl}/accept`, request);
      task.status = 'accepted';
      // Flex resolves `sid` (a reservation SID) to the task before the action runs.
    },
    fake.updateAcceptTaskPayload,
  );
  fake.flex.Actions.registerAction(
    'WrapupTask',
    async (payload) => {
      const task = taskOf(payload);
      if (task !== undefined) await call(`${bridgeUrl}/wrapup`, taskRequest(task));
    },
    fake.updateWorkerActionPayload,
  );
  fake.flex.Actions.registerAction(
    'CompleteTask',
    async (payload) => {
      const task = taskOf(payload);
      if (task === undefined) return;
      await call(`${bridgeUrl}/complete`, taskRequest(task));
      task.status = 'completed';
    },
    fake.updateWorkerActionPayload,
  );

  return {
    fake,
    start(onChange) {
      const poll = async () => {
        try {
          apply(fake, await call<DeskState>(deskUrl), true);
          onChange();
        } catch (error) {
          // The test's back end is going away, or a poll raced a change: the next one catches up.
          console.warn(error);
        }
        setTimeout(() => void poll(), POLL_MS);
      };
      void poll();
    },
  };
}
