/**
 * What the harness page and the test's bridge say to each other. The bridge stands in for the
 * parts of Flex that live outside the page: TaskRouter's worker connection (the page polls
 * its reservations), Flex's backend (accept with the conference instruction, wrap up,
 * complete, the endConferenceOnExit habit) and the Voice SDK device, whose call legs end when
 * the page's connection to it does.
 */

/** GET /session?worker=WK: a page load signs in and gets a fresh Flex token. */
export interface BridgeSession {
  workerSid: string;
  workerName: string;
  token: string;
}

export interface DeskParticipant {
  participantType: 'customer' | 'worker' | 'external';
  callSid: string;
  workerSid?: string;
  /** joined, or left once it is no longer in the conference (Flex keeps it listed). */
  status: 'joined' | 'left';
}

/** One reservation the worker holds, as Flex's store would have its task. */
export interface DeskTask {
  taskSid: string;
  reservationSid: string;
  /** The reservation's status: pending, accepted or wrapping. */
  status: string;
  channel: string;
  workflowSid: string;
  attributes: Record<string, unknown>;
  conference: { conferenceSid: string; participants: DeskParticipant[] } | null;
}

/** GET /desk?worker=WK */
export interface DeskState {
  tasks: DeskTask[];
}

/** POST /accept: Flex's AcceptTask after its before-listeners ran. */
export interface AcceptRequest {
  taskSid: string;
  reservationSid: string;
  /** Voice tasks: the payload's conferenceOptions, sent as TaskRouter's conference instruction. */
  conferenceOptions?: Record<string, unknown>;
}

/** POST /wrapup and POST /complete */
export interface TaskRequest {
  taskSid: string;
  reservationSid: string;
}
