import type { JsonObject } from '../json.ts';
import type { ResolvedOptions } from '../options.ts';
import type { TaskRecord } from '../world/records.ts';
import type { AgentOptions, BeforeAcceptPayload } from './types.ts';

/** The conference events Lifeline's plugin subscribes the server to. */
export const defaultConferenceEvents = ['start', 'end', 'join', 'leave', 'modify'];

/**
 * Flex's AcceptTask payload after the simulated plugin's beforeAcceptTask listener ran: the
 * conference callbacks go to Lifeline's server (`<serverUrl>/webhooks/conference-status`),
 * then any extra listener the test gave may change them.
 */
export function beforeAcceptPayload(
  options: ResolvedOptions,
  settings: AgentOptions,
  reservationSid: string,
  task: TaskRecord,
  attributes: JsonObject,
): BeforeAcceptPayload {
  const callbackUrl =
    settings.conferenceStatusCallback !== undefined
      ? settings.conferenceStatusCallback
      : options.serverUrl === null
        ? null
        : `${options.serverUrl}/webhooks/conference-status`;
  const payload: BeforeAcceptPayload = {
    task: { sid: task.sid, attributes, workflowSid: task.workflowSid, channel: 'voice' },
    reservationSid,
    conferenceOptions: {
      endConferenceOnCustomerExit: settings.endConferenceOnCustomerExit ?? true,
      conferenceStatusCallback: callbackUrl,
      conferenceStatusCallbackEvent:
        settings.conferenceStatusCallbackEvent ?? defaultConferenceEvents,
    },
  };
  settings.beforeAcceptTask?.(payload);
  return payload;
}
