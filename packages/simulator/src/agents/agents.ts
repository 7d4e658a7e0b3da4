import type { RealClock } from '../clock.ts';
import type { ResolvedOptions } from '../options.ts';
import type { Tokens } from '../tokens.ts';
import type { World } from '../world/world.ts';
import type { AgentOptions } from './types.ts';
import { SimulatedAgent } from './agent.ts';
import { ServerApi } from './server-api.ts';

/** `sim.agents`: the simulated Flex agents, one per worker. */
export class Agents {
  private readonly byWorker = new Map<string, SimulatedAgent>();
  /** Every call the simulated plugins made to Lifeline's server. */
  readonly server: ServerApi;

  constructor(
    private readonly world: World,
    private readonly clock: RealClock,
    private readonly options: ResolvedOptions,
    private readonly tokens: Tokens,
  ) {
    this.server = new ServerApi(options.serverUrl, clock, 5000);
  }

  add(settings: AgentOptions): SimulatedAgent {
    if (this.byWorker.has(settings.workerSid))
      throw new Error(`worker ${settings.workerSid} already has an agent`);
    const agent = new SimulatedAgent(
      this.world,
      this.clock,
      this.options,
      this.tokens,
      this.server,
      settings,
    );
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

  /** Stops every agent's plugin (its recovery stream and polls run outside the clock). */
  close(): void {
    for (const agent of this.byWorker.values()) agent.close();
  }
}
