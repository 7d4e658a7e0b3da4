import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { buildApp, createRedisStore, createTwilio, loadConfig } from '@lifeline/server';
import type { Simulator } from '@lifeline/simulator';
import { createSimulator, fastTiming } from '@lifeline/simulator';

/**
 * The real back end of the browser test: the simulator (the local Twilio) and Lifeline's
 * server, built as main.ts builds it, in this process, on the embedded in-memory store under
 * a key prefix of its own. Only the browser page stands in for Flex.
 */
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export interface Stack {
  sim: Simulator;
  server: Awaited<ReturnType<typeof buildApp>>;
  serverUrl: string;
  workerSid: string;
  voiceWorkflowSid: string;
  /** A token the simulator vouches for with the admin role: reads the server's view. */
  adminToken: string;
  close(): Promise<void>;
}

/** The server's signatures are checked against its public URL, so its port is chosen first. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** `flexOrigin`: the harness page's origin, the only one the server's CORS lets in. */
export async function startStack(flexOrigin: string): Promise<Stack> {
  const accountSid = `AC${hex(16)}`;
  const workspaceSid = `WS${hex(16)}`;
  const authToken = hex(16);
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  const sim = createSimulator({
    accountSid,
    authToken,
    workspaceSid,
    serverUrl,
    eventStreamsSinkUrl: `${serverUrl}/webhooks/taskrouter-events`,
    // The simulator's own delays in tens of ms; durations Twilio takes in seconds (the ping's
    // TTL, reservation timeouts) stay real seconds, since the server bounds them on its clock
    // and a real browser page takes real time to load.
    timing: { ...fastTiming, timeScale: 1 },
  });
  await sim.start();
  const setup = sim.workspace.addStandardSetup();
  const worker = sim.workspace.addWorker({ friendlyName: 'Alice' });
  const admin = sim.workspace.addWorker({ friendlyName: 'Admin', activity: 'Offline' });

  const config = loadConfig({
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_WORKSPACE_SID: workspaceSid,
    RECOVERY_PING_WORKFLOW_SID: setup.pingWorkflowSid,
    PUBLIC_BASE_URL: serverUrl,
    TWILIO_API_BASE_URL: sim.url,
    FLEX_ORIGIN: flexOrigin,
    HOST: '127.0.0.1',
    PORT: String(port),
  });
  const { store, durable } = createRedisStore({}, { prefix: `llbrowser-${process.pid}-${hex(4)}` });
  const server = await buildApp({
    config,
    store,
    durable,
    twilio: createTwilio({
      accountSid,
      authToken,
      apiBaseUrl: config.twilio.apiBaseUrl,
      maxConcurrency: config.twilio.maxConcurrency,
    }),
    fastify: { logger: false },
    runner: { baseDelayMs: 50, maxDelayMs: 1000, idleMs: 20 },
    timerTickMs: 20,
  });
  await server.listen({ port, host: '127.0.0.1' });

  return {
    sim,
    server,
    serverUrl,
    workerSid: worker.sid,
    voiceWorkflowSid: setup.voiceWorkflowSid,
    adminToken: sim.tokenFor(admin.sid, ['admin']),
    async close() {
      await server.close();
      await sim.close();
    },
  };
}

export interface ServerView {
  state: string;
  final: boolean;
  version: number;
  timeline: { kind: string; name: string }[];
}

/** The server's own view of a conference (state and timeline), as an admin reads it. */
export async function serverView(stack: Stack, conferenceSid: string): Promise<ServerView | null> {
  const response = await fetch(`${stack.serverUrl}/api/v1/conferences/${conferenceSid}`, {
    headers: { Authorization: `Bearer ${stack.adminToken}` },
  });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`the server's view answered ${response.status}`);
  return (await response.json()) as ServerView;
}
