import type {
  LifelineAgent,
  LifelineConfig,
  RecoveryController,
  TaskView,
} from 'plugin-lifeline/core';
import {
  createApiClient,
  createLifelineAgent,
  createRecoveryController,
  resolveConfig,
} from 'plugin-lifeline/core';
import type { RealClock } from '@lifeline/simulator/model';
import { nodeEventStream } from './event-stream.ts';
import type { ServerApi } from './server-api.ts';

/**
 * Lifeline's plugin as loaded in one page of a simulated agent: the plugin's own core
 * (`plugin-lifeline/core`, the code the Flex adapter calls from its listeners) with the
 * page's Flex token, the simulator's network and a Node event stream. A reload is a new page:
 * a new token and a fresh recovery controller, as in the browser.
 */
export interface PluginPage {
  readonly agent: LifelineAgent;
  readonly recovery: RecoveryController;
  readonly token: string;
  /** The page goes away: the plugin's timers and stream stop with it. */
  unload(): void;
}

export interface PluginPageDeps {
  server: ServerApi;
  clock: RealClock;
  token: string;
  worker: { workerSid: string; workerName: string };
  readTask: (taskSid: string) => TaskView | null;
  /** How often the plugin looks for both legs after accept (the simulated legs' pace). */
  legPollMs: number;
  log: (message: string, error?: unknown) => void;
}

/** The plugin's settings in the simulation: Flex's defaults, pointed at the simulator's server. */
export function pluginConfig(serverUrl: string): LifelineConfig {
  return resolveConfig([{ serverUrl }]);
}

export function loadPluginPage(config: LifelineConfig, deps: PluginPageDeps): PluginPage {
  const { server, clock, token, worker, log } = deps;
  const api = createApiClient({
    serverUrl: config.serverUrl,
    getToken: () => token,
    fetch: server.fetch,
  });
  const agent = createLifelineAgent({
    config,
    api,
    worker: () => worker,
    readTask: deps.readTask,
    sleep: (ms) => clock.sleep(ms),
    now: () => clock.now(),
    legPollMs: deps.legPollMs,
    log,
  });
  const recovery = createRecoveryController({
    api,
    workerSid: () => worker.workerSid,
    openStream: nodeEventStream,
    pollIntervalMs: config.pollIntervalMs,
    log,
  });
  return { agent, recovery, token, unload: () => recovery.stop() };
}
