import type { RealClock } from '../clock.ts';
import { Emitter } from '../emitter.ts';
import type { ResolvedOptions } from '../options.ts';
import type { Duration } from '../random.ts';
import { Random } from '../random.ts';
import { Calls } from './calls.ts';
import { Conferences } from './conferences.ts';
import type { NumberBehaviour } from './dial-out.ts';
import type { WorldEvents } from './events.ts';
import { TaskRouter } from './taskrouter/taskrouter.ts';

/**
 * Everything the simulated Twilio account holds: calls, conferences and the TaskRouter
 * workspace. State changes happen synchronously; what Twilio does later (ringing, timeouts,
 * routing) is scheduled on the clock; observers (webhooks, agents, timeline) listen to events.
 */
export class World {
  readonly events: Emitter<WorldEvents>;
  readonly calls: Calls;
  readonly conferences: Conferences;
  readonly taskrouter: TaskRouter;
  /** How dialed numbers behave (busy, no answer, ring time); unlisted numbers answer. */
  readonly numbers = new Map<string, NumberBehaviour>();
  /** Errors thrown by event listeners: tests assert this stays empty. */
  readonly listenerErrors: unknown[] = [];
  /** Every random draw of the simulated account (seeded by options.seed). */
  readonly random: Random;

  constructor(
    readonly options: ResolvedOptions,
    readonly clock: RealClock,
  ) {
    this.random = new Random(options.seed);
    this.events = new Emitter<WorldEvents>((error) => this.listenerErrors.push(error));
    this.calls = new Calls(this);
    this.conferences = new Conferences(this);
    this.taskrouter = new TaskRouter(this);
  }

  /** Milliseconds drawn for a duration from the named stream of the seeded randomness. */
  draw(stream: string, duration: Duration): number {
    return this.random.draw(stream, duration);
  }

  /** Milliseconds for a duration the API gives in seconds, scaled for tests. */
  scaledMs(seconds: number): number {
    return Math.round(seconds * 1000 * this.options.timing.timeScale);
  }

  changed(): void {
    this.events.emit('changed', { at: this.clock.now() });
  }
}
