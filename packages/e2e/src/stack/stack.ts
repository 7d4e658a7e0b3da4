import { randomBytes } from 'node:crypto';
import type twilio from 'twilio';
import type { RedisNode } from '@lifeline/server';
import type { Simulator, SimulatorOptions, StandardSetup, Timing } from '@lifeline/simulator';
import { createSimulator, simulatorTwilioClient } from '@lifeline/simulator';
import { Agents } from '../agents/agents.ts';
import { ChildServer } from './child-server.ts';
import { freePort } from './free-port.ts';
import { deleteKeys } from './redis-cleanup.ts';
import type { StackRedis } from './redis-target.ts';
import { redisCluster, singleRedis } from './redis-target.ts';
import type { InProcessServer, InProcessServerOptions } from './in-process-server.ts';
import { startInProcessServer } from './in-process-server.ts';
import { LifelineApi } from './lifeline-api.ts';
import { InstanceProxy } from './instance-proxy.ts';
import type { Proxy, Spread } from './instance-proxy.ts';
import { ProxyProcess } from './proxy-process.ts';
import { serverEnv } from './server-env.ts';
import { e2eTiming } from './timing.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** How Lifeline's server runs in the stack. */
export type ServerMode =
  /** One server in this process (createServer), as main.ts builds it. */
  | 'in-process'
  /** One server process (`main.ts`), which the test may SIGKILL and restart. */
  | 'child'
  /** Two in-process instances on one store behind a round-robin loopback proxy. */
  | 'two-instances'
  /**
   * `instances` in-process instances (default 3) on one store behind a loopback proxy that
   * sends each request to one of them at random (seeded with the stack's `seed`).
   */
  | 'scale-out';

export interface StackOptions {
  /** Redis URL; null: the server's embedded in-memory store (not durable), or `redisCluster`. */
  redisUrl: string | null;
  /** A Redis Cluster's nodes (then `redisUrl` is null): the servers store there. */
  redisCluster?: RedisNode[];
  server?: ServerMode;
  /** How many instances 'scale-out' runs (default 3). */
  instances?: number;
  /**
   * 'scale-out' instances as server processes (`main.ts`, production loops), so they share
   * the machine's cores with the simulator rather than its thread; default: in this process.
   */
  instanceProcesses?: boolean;
  /** PING_TIMEOUT_S (default 5). */
  pingTimeoutS?: number;
  /** RECONNECT_TIMEOUT_S (default 10). */
  reconnectTimeoutS?: number;
  /**
   * REDIAL_TIMEOUT_S (default 8): how long a re-dial waits for joins in the new conference
   * before it asks Twilio (a join sent while the server was down is never redelivered).
   */
  redialTimeoutS?: number;
  /** Simulator timing (default e2eTiming: realistic at a tenth of real time, TTLs in real seconds). */
  timing?: Partial<Timing>;
  webhookOrdering?: SimulatorOptions['webhookOrdering'];
  /** Seeds the simulator's random draws (default 1). */
  seed?: number;
  /**
   * Effect runner and timer loop of in-process servers (default: quick retries, 20 ms ticks).
   * A child process runs with production defaults.
   */
  loops?: InProcessServerOptions['loops'];
  /** FLEX_ORIGIN: the page origin the server's CORS lets in (a browser test's harness page). */
  flexOrigin?: string;
  /** More server environment, over the stack's own (e.g. TWILIO_MAX_CONCURRENCY for a bench). */
  serverEnv?: Record<string, string>;
}

/** Quick loops for in-process servers; the backoff budget of the 429 test is derived from it. */
export const e2eLoops = { baseDelayMs: 50, maxDelayMs: 1000, idleMs: 20, timerTickMs: 20 };

/**
 * The simulator, Lifeline's server(s) on their store, and the standard TaskRouter set-up:
 * what every scenario runs against.
 */
export interface Stack {
  readonly sim: Simulator;
  /** The simulated Flex agents, running the plugin's core against the stack's server. */
  readonly agents: Agents;
  readonly setup: StandardSetup;
  /** The address the simulator calls and the scenarios read from (a proxy for two instances). */
  readonly serverUrl: string;
  readonly redisKeyPrefix: string;
  /** The single Redis the server stores in; null: a Cluster or its embedded in-memory store. */
  readonly redisUrl: string | null;
  /** The Redis or Redis Cluster the server stores in; null: its embedded in-memory store. */
  readonly redis: StackRedis | null;
  readonly durable: boolean;
  readonly pingTimeoutS: number;
  readonly reconnectTimeoutS: number;
  /** Lifeline's admin/plugin API (an admin token the simulator vouches for). */
  readonly api: LifelineApi;
  /** The official twilio client on the simulator (what Flex's own REST calls would be). */
  readonly twilio: twilio.Twilio;
  /** The in-process servers (one, or several behind the proxy). */
  readonly servers: InProcessServer[];
  /** The server process, in 'child' mode. */
  readonly child: ChildServer | null;
  /** The instances' processes, in 'scale-out' mode with `instanceProcesses`. */
  readonly children: ChildServer[];
  /** In front of several instances: in this process, or its own with `instanceProcesses`. */
  readonly proxy: Proxy | null;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const mode = options.server ?? 'in-process';
  const accountSid = `AC${hex(16)}`;
  const workspaceSid = `WS${hex(16)}`;
  const authToken = hex(16);
  const redisKeyPrefix = `lle2e-${process.pid}-${hex(4)}`;
  if (options.redisCluster !== undefined && options.redisUrl !== null)
    throw new Error('a stack stores in a Redis URL or a Redis Cluster, not both');
  const redis: StackRedis | null =
    options.redisCluster !== undefined
      ? redisCluster(options.redisCluster)
      : options.redisUrl === null
        ? null
        : singleRedis(options.redisUrl);
  const pingTimeoutS = options.pingTimeoutS ?? 5;
  const reconnectTimeoutS = options.reconnectTimeoutS ?? 10;
  const redialTimeoutS = options.redialTimeoutS ?? 8;
  // The public address is fixed before anything starts: the simulator signs for it.
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;

  const sim = createSimulator({
    accountSid,
    authToken,
    workspaceSid,
    eventStreamsSinkUrl: `${serverUrl}/webhooks/taskrouter-events`,
    timing: { ...e2eTiming, ...options.timing },
    strictParams: true,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.webhookOrdering === undefined ? {} : { webhookOrdering: options.webhookOrdering }),
  });
  await sim.start();
  const agents = new Agents(sim, serverUrl);
  const setup = sim.workspace.addStandardSetup();
  const envFor = (instancePort: number) => ({
    ...serverEnv({
      accountSid,
      authToken,
      workspaceSid,
      pingWorkflowSid: setup.pingWorkflowSid,
      twilioUrl: sim.url,
      publicBaseUrl: serverUrl,
      port: instancePort,
      redis,
      redisKeyPrefix,
      pingTimeoutS,
      reconnectTimeoutS,
      redialTimeoutS,
      ...(options.flexOrigin === undefined ? {} : { flexOrigin: options.flexOrigin }),
    }),
    ...options.serverEnv,
  });

  const servers: InProcessServer[] = [];
  let child: ChildServer | null = null;
  const children: ChildServer[] = [];
  let proxy: Proxy | null = null;
  const closeAll = async () => {
    await proxy?.close();
    await child?.stop();
    await Promise.allSettled(children.map((instance) => instance.stop()));
    await Promise.allSettled(servers.map((server) => server.close()));
    agents.close();
    await sim.close();
    if (redis !== null) await deleteKeys(redis, redisKeyPrefix);
  };
  try {
    const loops = options.loops ?? e2eLoops;
    if (mode === 'child') {
      child = new ChildServer(envFor(port), serverUrl);
      await child.start();
    } else if (mode === 'in-process') {
      servers.push(await startInProcessServer({ env: envFor(port), loops }));
    } else {
      if (redis === null) throw new Error('several instances need a shared store: set a Redis');
      const count = mode === 'two-instances' ? 2 : (options.instances ?? 3);
      for (let i = 0; i < count; i++) {
        const instancePort = await freePort();
        if (mode === 'scale-out' && options.instanceProcesses === true) {
          children.push(new ChildServer(envFor(instancePort), `http://127.0.0.1:${instancePort}`));
        } else {
          servers.push(await startInProcessServer({ env: envFor(instancePort), loops }));
        }
      }
      await Promise.all(children.map((instance) => instance.start()));
      const backends = [...servers, ...children].map((instance) => instance.url);
      const spread: Spread =
        mode === 'two-instances'
          ? { kind: 'round-robin' }
          : { kind: 'random', seed: options.seed ?? 1 };
      if (children.length > 0) {
        // Instances of their own, a proxy of its own: the simulator's process is busy enough.
        proxy = (await ProxyProcess.start(backends, spread, port)).proxy;
      } else {
        const inProcess = new InstanceProxy(backends, spread);
        await inProcess.listen(port);
        proxy = inProcess;
      }
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  const admin = sim.issueToken(`WK${hex(16)}`, ['admin'], 24 * 60 * 60 * 1000).token;
  return {
    sim,
    agents,
    setup,
    serverUrl,
    redisKeyPrefix,
    redisUrl: options.redisUrl,
    redis,
    durable: redis !== null,
    pingTimeoutS,
    reconnectTimeoutS,
    api: new LifelineApi(
      () => serverUrl,
      () => admin,
    ),
    twilio: simulatorTwilioClient(sim.url, accountSid, authToken),
    servers,
    child,
    children,
    proxy,
    close: closeAll,
  };
}
