import type { ConferenceInstruction, JsonObject } from '@lifeline/simulator/model';

/** What a beforeAcceptTask listener sees and may change (Flex's action payload). */
export interface BeforeAcceptPayload {
  task: { sid: string; attributes: JsonObject; workflowSid: string; channel: string };
  reservationSid: string;
  conferenceOptions: ConferenceInstruction;
}

export interface AgentOptions {
  workerSid: string;
  /** Shown in the timeline and sent as workerName; default: the worker's friendly name. */
  name?: string;
  roles?: string[];
  /**
   * Accept ordinary reservations (default true). The agent's own Recovery Ping and reconnect
   * task are accepted by the plugin (its default configuration) either way.
   */
  autoAccept?: boolean;
  /**
   * Conference callback URL Flex is told to use, over what the plugin set (its default:
   * `<serverUrl>/webhooks/conference-status`); null: none.
   */
  conferenceStatusCallback?: string | null;
  /** statusCallbackEvent words (default: start end join leave modify). */
  conferenceStatusCallbackEvent?: string[];
  /** Whether the customer's leaving ends the conference (Flex's endConferenceOnCustomerExit; default true). */
  endConferenceOnCustomerExit?: boolean;
  /** Complete a wrapping task on its own after this long (default: never; call completeTask). */
  wrapUpMs?: number | null;
  /** Send the pagehide beacon (`.../agents/:workerSid/unload`) when the page unloads (default true). */
  beaconOnUnload?: boolean;
  /** Extra beforeAcceptTask listener, run after the simulated plugin's own. */
  beforeAcceptTask?: (payload: BeforeAcceptPayload) => void;
}

/** A voice task the agent accepted, with its conference legs. */
export interface AgentCall {
  taskSid: string;
  reservationSid: string;
  workflowSid: string;
  taskAttributes: JsonObject;
  workerCallSid: string;
  conferenceSid: string | null;
  customerCallSid: string | null;
  registered: boolean;
}
