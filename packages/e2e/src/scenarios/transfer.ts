import type { SimulatedAgent } from '../agents/agent.ts';
import type { Stack } from '../stack/stack.ts';
import { waitFor } from '@lifeline/simulator';
import type { ScenarioObserver } from './observer.ts';
import type { ConnectedCall } from './steps.ts';
import { steady } from './steps.ts';

/**
 * A Flex transfer from `from` to `to`: the plugin tells the server first (its transfer
 * listener), then Flex creates a task for the target naming the conference; the target's
 * agent accepts it and joins that conference. COLD: `from` leaves at once.
 */
export async function transferCall(
  stack: Stack,
  connected: ConnectedCall,
  to: SimulatedAgent,
  mode: 'COLD' | 'WARM',
  observer: ScenarioObserver,
): Promise<ConnectedCall> {
  const { agent: from, conferenceSid } = connected;
  observer.step(
    `${from.name} ${mode === 'WARM' ? 'warm' : 'cold'}-transfers the call to ${to.name}`,
  );
  await from.transfer(mode);
  const workspace = stack.twilio.taskrouter.v1.workspaces(stack.sim.options.workspaceSid);
  const original = await workspace.tasks(connected.taskSid).fetch();
  const attributes = JSON.parse(original.attributes) as Record<string, unknown>;
  const task = await workspace.tasks.create({
    workflowSid: stack.setup.voiceWorkflowSid,
    taskChannel: 'voice',
    attributes: JSON.stringify({
      ...attributes,
      targetWorkerSid: to.workerSid,
      transferTargetType: 'worker',
      conference: { sid: conferenceSid },
    }),
  });
  const call = await waitFor(
    () => {
      const current = to.currentCall;
      return current?.taskSid === task.sid && current.registered ? current : null;
    },
    { timeoutMs: 10_000, description: `${to.name} joined the conference` },
  );
  if (call.conferenceSid !== conferenceSid)
    throw new Error(`${to.name} joined ${call.conferenceSid ?? 'nothing'}, not ${conferenceSid}`);
  observer.step(`${to.name} is in the call`);
  await steady(stack, conferenceSid);
  return { ...connected, agent: to, call, taskSid: task.sid };
}

/** Waits until the server has seen a call leave the conference, and the call is steady again. */
export async function leaveSeen(stack: Stack, conferenceSid: string, callSid: string) {
  await waitFor(
    async () =>
      (await stack.api.conference(conferenceSid))?.timeline.some(
        (e) =>
          e.kind === 'event' &&
          e.name === 'participant.left' &&
          (e.detail as { callSid?: unknown } | undefined)?.callSid === callSid,
      ),
    { timeoutMs: 10_000, intervalMs: 20, description: `the server to see ${callSid} leave` },
  );
  return steady(stack, conferenceSid);
}
