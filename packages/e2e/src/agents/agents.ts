import type { Simulator } from '@lifeline/simulator';
import type { ConferenceEvent, TaskRouterEvent } from '@lifeline/simulator/model';
import type { AgentOptions } from './types.ts';
import { SimulatedAgent } from './agent.ts';
import { ServerApi } from './server-api.ts';

/**
 * The simulated Flex agents on a simulator's account, one per worker, each running the
 * plugin's core against Lifeline's server at `serverUrl` (null: no server, so the plugin stays
 * out, as it does in Flex without one). Close them before the simulator.
 *
 * The world's events reach the agents through one listener each, here: a TaskRouter event goes
 * to the agent of the worker it names, a conference's join or leave to the agents with a call
 * in that conference. Hundreds of agents (the scale-out test) would otherwise each see every
 * event of every call.
 */
export class Agents {
  private readonly byWorker = new Map<string, SimulatedAgent>();
  /** The agents with a call connected in each conference, in the order they were added. */
  private readonly byConference = new Map<string, Set<SimulatedAgent>>();
  /** Each agent's place in the order they were added. */
  private readonly added = new Map<SimulatedAgent, number>();
  private unsubscribe: (() => void)[] | null = null;
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
    // Listening from the first agent on, as that agent's own listeners used to.
    this.listen();
    const agent: SimulatedAgent = new SimulatedAgent(
      this.sim,
      this.server,
      settings,
      (conferenceSid) => this.joined(conferenceSid, agent),
    );
    this.byWorker.set(agent.workerSid, agent);
    this.added.set(agent, this.added.size);
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
    for (const stop of this.unsubscribe ?? []) stop();
    for (const agent of this.byWorker.values()) agent.close();
  }

  private listen(): void {
    if (this.unsubscribe !== null) return;
    const { events } = this.sim.world;
    this.unsubscribe = [
      events.on('taskrouter', (event) => this.onTaskRouter(event)),
      events.on('conference', (event) => this.onConference(event)),
    ];
  }

  private joined(conferenceSid: string, agent: SimulatedAgent): void {
    let agents = this.byConference.get(conferenceSid);
    if (agents === undefined) {
      agents = new Set();
      this.byConference.set(conferenceSid, agents);
    }
    agents.add(agent);
  }

  private onTaskRouter(event: TaskRouterEvent): void {
    const workerSid = event.worker?.sid;
    if (workerSid !== undefined) this.byWorker.get(workerSid)?.onTaskRouter(event);
  }

  /**
   * Flex re-applies endConferenceOnExit as participants join and leave. Who is in the
   * conference is read once the event's turn is over, as each agent's page would.
   */
  private onConference(event: ConferenceEvent): void {
    if (event.name !== 'participant-join' && event.name !== 'participant-leave') return;
    this.sim.clock.after(0, () => {
      const agents = [...(this.byConference.get(event.conferenceSid) ?? [])];
      // In the order the agents were added, as their own timers used to run.
      agents.sort((a, b) => (this.added.get(a) ?? 0) - (this.added.get(b) ?? 0));
      for (const agent of agents) agent.enforceEndConferenceOnExit(event.conferenceSid);
    });
  }
}
