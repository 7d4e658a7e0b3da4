import type { Simulator } from '@lifeline/simulator';
import type { AgentOptions } from './types.ts';
import { SimulatedAgent } from './agent.ts';
import { ServerApi } from './server-api.ts';

/**
 * The simulated Flex agents on a simulator's account, one per worker, each running the
 * plugin's core against Lifeline's server at `serverUrl` (null: no server, so the plugin stays
 * out, as it does in Flex without one). Close them before the simulator.
 */
export class Agents {
  private readonly byWorker = new Map<string, SimulatedAgent>();
  /** Every call the simulated plugins made to Lifeline's server. */
  readonly server: ServerApi;

  constructor(
    private readonly sim: Simulator,
    serverUrl: string | null,
  ) {
    this.server = new ServerApi(serverUrl?.replace(/\/+$/, '') ?? null, sim.clock, 5000);
  }

  add(settings: AgentOptions): SimulatedAgent {
    if (this.byWorker.has(settings.workerSid))
      throw new Error(`worker ${settings.workerSid} already has an agent`);
    const agent = new SimulatedAgent(this.sim, this.server, settings);
    this.byWorker.set(agent.workerSid, agent);
    return agent;
  }

  get(workerSid: string): SimulatedAgent {
    const agent = this.byWorker.get(workerSid);
    if (agent === undefined) throw new Error(`no agent for worker ${workerSid}`);
    return agent;
  }

  all(): SimulatedAgent[] {
    return [...this.byWorker.values()];
  }

  /** Stops every agent's plugin (its recovery stream and polls run outside the simulator's clock). */
  close(): void {
    for (const agent of this.byWorker.values()) agent.close();
  }
}
