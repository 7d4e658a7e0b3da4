import type { World } from '../world.ts';
import { Reservations } from './reservations.ts';
import { Routing } from './routing.ts';
import { Tasks } from './tasks.ts';
import { Workspace } from './workspace.ts';

/** A worker's call leg that a conference instruction created for a reservation. */
export interface AgentLeg {
  callSid: string;
  taskSid: string;
  reservationSid: string;
  workerSid: string;
}

/** The TaskRouter workspace: configuration, tasks, reservations and routing. */
export class TaskRouter {
  readonly workspace: Workspace;
  readonly tasks: Tasks;
  readonly reservations: Reservations;
  readonly routing: Routing;
  /** Agent legs by call SID: when one leaves its conference, Flex wraps the task up. */
  readonly agentLegs = new Map<string, AgentLeg>();

  constructor(world: World) {
    this.workspace = new Workspace(world);
    this.tasks = new Tasks(world);
    this.reservations = new Reservations(world);
    this.routing = new Routing(world);
    world.events.on('conference', (event) => {
      if (event.name !== 'participant-leave' || event.participant === null) return;
      const leg = this.agentLegs.get(event.participant.callSid);
      if (leg === undefined) return;
      // Flex moves the task to wrapping when the agent's leg leaves the call, however it left.
      const task = this.tasks.get(leg.taskSid);
      if (task !== undefined) this.tasks.wrap(task, null);
    });
  }

  dispatchSoon(): void {
    this.routing.dispatchSoon();
  }
}
