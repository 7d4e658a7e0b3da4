import type { LifelineAgent, TaskView } from 'plugin-lifeline/core';
import { eventWords } from '@lifeline/simulator/model';
import type { AgentOptions, BeforeAcceptPayload } from './types.ts';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function workerLiveIn(task: TaskView): boolean {
  return (task.conference?.participants ?? []).some(
    (p) => p.type === 'worker' && p.status === 'joined',
  );
}

/**
 * Flex's AcceptTask for a voice task, up to the conference instruction: Flex's own options,
 * then the plugin's beforeAcceptTask listener (which points the conference callbacks at
 * Lifeline's server), then the test's settings and listener, which run after the plugin's
 * and may change what it set. The TaskRouter SDK then sends the options as the instruction.
 */
export function beforeAcceptPayload(
  plugin: LifelineAgent | null,
  settings: AgentOptions,
  task: TaskView,
): BeforeAcceptPayload {
  const flexPayload: Record<string, unknown> = {
    sid: task.reservationSid,
    conferenceOptions: {
      // As Flex's updateAcceptTaskPayload: the agent's leg ends the call unless a worker is
      // already live in the task's conference (a transfer's target joining).
      endConferenceOnExit: !workerLiveIn(task),
      endConferenceOnCustomerExit: settings.endConferenceOnCustomerExit ?? true,
    },
  };
  plugin?.beforeAcceptTask(task, flexPayload);
  const options = (flexPayload['conferenceOptions'] ?? {}) as Record<string, unknown>;
  const payload: BeforeAcceptPayload = {
    task: {
      sid: task.taskSid,
      attributes: task.attributes,
      workflowSid: task.workflowSid,
      channel: 'voice',
    },
    reservationSid: task.reservationSid,
    conferenceOptions: {
      endConferenceOnExit: options['endConferenceOnExit'] === true,
      endConferenceOnCustomerExit: options['endConferenceOnCustomerExit'] !== false,
      conferenceStatusCallback:
        settings.conferenceStatusCallback !== undefined
          ? settings.conferenceStatusCallback
          : text(options['conferenceStatusCallback']),
      // The SDK takes the events comma-separated; the instruction keeps them as words.
      conferenceStatusCallbackEvent:
        settings.conferenceStatusCallbackEvent ??
        eventWords(text(options['conferenceStatusCallbackEvent'])),
      conferenceStatusCallbackMethod: text(options['conferenceStatusCallbackMethod']) ?? 'POST',
    },
  };
  settings.beforeAcceptTask?.(payload);
  return payload;
}
