import type { AgentCall } from '../agents/types.ts';
import type { RecoveryView } from '../stack/lifeline-api.ts';
import type { Stack } from '../stack/stack.ts';
import type { CallTimeline } from '@lifeline/simulator';
import type { CustomerExperience } from './measure.ts';
import { customerExperience } from './measure.ts';
import type { ConnectedCall } from './steps.ts';

/** What happened in a scenario: the server's verdict and what the customer lived through. */
export interface ScenarioReport {
  scenario: string;
  /** The original conference's final (or last) state on the server. */
  outcome: string;
  conferenceSid: string;
  customerCallSid: string;
  /** The original task and the reservation the first agent accepted it with. */
  taskSid: string;
  reservationSid: string;
  /** When the scenario's disruption happened (the refresh, the hang-up...). */
  disruptedAt: number;
  view: RecoveryView;
  customer: CallTimeline;
  experience: CustomerExperience;
  /** The call the customer is on with an agent at the end, if any. */
  agentCall: { agentName: string; call: AgentCall } | null;
  /** Lines the demo prints under the summary. */
  notes: string[];
}

export function buildReport(
  stack: Stack,
  scenario: string,
  connected: ConnectedCall,
  disruptedAt: number,
  view: RecoveryView,
  agentCall: ScenarioReport['agentCall'],
  notes: string[] = [],
): ScenarioReport {
  const customer = stack.sim.timeline(connected.customer.callSid);
  return {
    scenario,
    outcome: view.state,
    conferenceSid: connected.conferenceSid,
    customerCallSid: connected.customer.callSid,
    taskSid: connected.taskSid,
    reservationSid: connected.call.reservationSid,
    disruptedAt,
    view,
    customer,
    experience: customerExperience(customer, disruptedAt),
    agentCall,
    notes,
  };
}
