import type { FastifyInstance } from 'fastify';
import { RealClock } from './clock.ts';
import { CallsFacade } from './customers.ts';
import { Faults } from './faults.ts';
import { buildApp } from './http/app.ts';
import { RequestLog } from './http/request-log.ts';
import type { Deps } from './http/serve.ts';
import type { ResolvedOptions, SimulatorOptions } from './options.ts';
import { resolveOptions } from './options.ts';
import type { Duration } from './random.ts';
import type { CallTimeline } from './timeline.ts';
import { Timeline } from './timeline.ts';
import type { IssuedToken } from './tokens.ts';
import { Tokens } from './tokens.ts';
import { CallStatusCallbacks } from './webhooks/call-status.ts';
import { ConferenceCallbacks } from './webhooks/conference-callbacks.ts';
import { EventStreams } from './webhooks/event-streams.ts';
import { DeliveryLog } from './webhooks/log.ts';
import { Outbox } from './webhooks/outbox.ts';
import type { Workspace } from './world/taskrouter/workspace.ts';
import { World } from './world/world.ts';

/** The local Twilio. See createSimulator. */
export class Simulator {
  readonly options: ResolvedOptions;
  readonly clock: RealClock;
  readonly world: World;
  readonly faults = new Faults();
  /** Every REST request answered. */
  readonly requests = new RequestLog();
  /** Every webhook attempt made (conference callbacks, call status, Event Streams). */
  readonly webhooks = new DeliveryLog();
  readonly tokens: Tokens;
  readonly calls: CallsFacade;
  readonly eventStreams: EventStreams;
  /** OpenAPI operation IDs the simulator serves. */
  readonly served: string[] = [];
  private readonly timelines: Timeline;
  private readonly app: FastifyInstance;
  private listening: string | null = null;

  constructor(options: SimulatorOptions) {
    this.options = resolveOptions(options);
    this.clock = new RealClock();
    this.world = new World(this.options, this.clock);
    this.tokens = new Tokens(this.clock);
    this.timelines = new Timeline(this.world, this.clock);
    this.calls = new CallsFacade(this.world, this.timelines);
    const voice = {
      authToken: this.options.authToken,
      clock: this.clock,
      faults: this.faults,
      log: this.webhooks,
      timeoutMs: this.options.timing.voiceWebhookTimeoutMs,
    };
    // Voice callbacks go one after another per conference (or call) unless configured otherwise.
    const ordered = this.options.webhookOrdering === 'in-order';
    const timing = this.options.timing;
    const voiceOutbox = (kind: 'conference' | 'call-status') =>
      new Outbox(kind, this.faults, this.clock, this.webhooks, ordered, () =>
        this.world.draw(`webhook-${kind}`, timing.webhookDelayMs),
      );
    new ConferenceCallbacks(this.world, voiceOutbox('conference'), voice);
    new CallStatusCallbacks(this.world, voiceOutbox('call-status'), voice);
    this.eventStreams = new EventStreams(
      this.world,
      // Each batch has its own delay and no predecessor to wait for: batches arrive unordered.
      new Outbox('event-streams', this.faults, this.clock, this.webhooks, false, () =>
        this.world.draw('event-streams-delay', timing.eventStreamsDelayMs),
      ),
      {
        authToken: this.options.authToken,
        clock: this.clock,
        faults: this.faults,
        log: this.webhooks,
        timing: this.options.timing,
        duplicate: () =>
          this.world.random
            .stream('event-streams-duplicate')
            .chance(timing.eventStreamsDuplicateRate),
      },
      this.options.eventStreamsSinkUrl,
      this.options.eventStreamsBatchEvents,
    );
    const deps: Deps = {
      world: this.world,
      options: this.options,
      clock: this.clock,
      faults: this.faults,
      requests: this.requests,
      tokens: this.tokens,
      origin: () => this.url,
      served: this.served,
    };
    this.app = buildApp(deps);
  }

  /** The origin the simulator listens on (`http://127.0.0.1:PORT`); throws before start(). */
  get url(): string {
    if (this.listening === null) throw new Error('the simulator is not started: await sim.start()');
    return this.listening;
  }

  get workspace(): Workspace {
    return this.world.taskrouter.workspace;
  }

  async start(): Promise<string> {
    if (this.listening !== null) return this.listening;
    await this.app.listen({ port: this.options.port, host: this.options.host });
    const address = this.app.server.address();
    if (address === null || typeof address === 'string')
      throw new Error('unexpected listen address');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.listening = `http://${host}:${address.port}`;
    return this.listening;
  }

  async close(): Promise<void> {
    this.clock.close();
    await this.app.close();
    this.listening = null;
  }

  /** What happened to a call and what its party heard, as of now. */
  timeline(callSid: string): CallTimeline {
    return this.timelines.of(callSid);
  }

  /** The seed every random draw of this simulator comes from. */
  get seed(): number {
    return this.options.seed;
  }

  /** Milliseconds drawn for `duration` from the named stream of the simulator's seeded randomness. */
  draw(stream: string, duration: Duration): number {
    return this.world.draw(stream, duration);
  }

  /** A Flex token for a worker, as the IAM validate endpoint will vouch for. */
  tokenFor(workerSid: string, roles: string[] = ['agent']): string {
    return this.issueToken(workerSid, roles).token;
  }

  issueToken(workerSid: string, roles: string[] = ['agent'], ttlMs?: number): IssuedToken {
    const worker = this.workspace.workers.get(workerSid);
    const identity =
      worker === undefined
        ? workerSid
        : worker.friendlyName.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    return this.tokens.issue(workerSid, identity, roles, ttlMs);
  }

  /** Resolves when no webhook is in flight, held, or waiting for a retry. */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }
}

/**
 * A local Twilio: REST (api, taskrouter, iam token validation) on one loopback origin,
 * conference callbacks and Event Streams sent like Twilio's, TaskRouter routing, customers,
 * faults and per-call timelines.
 */
export function createSimulator(options: SimulatorOptions): Simulator {
  return new Simulator(options);
}
