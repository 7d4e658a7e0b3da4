/**
 * What a scenario tells whoever watches it: the demo prints it live, tests ignore it.
 */
export interface ScenarioObserver {
  /** A step the scenario takes, in words ("Alice's page reloads"). */
  step(text: string): void;
  /** From now on, follow this conference's recovery on the server. */
  followConference(conferenceSid: string): void;
  /** From now on, follow what this call's party hears. */
  followCall(callSid: string, label: string): void;
}

export const quietObserver: ScenarioObserver = {
  step: () => undefined,
  followConference: () => undefined,
  followCall: () => undefined,
};
