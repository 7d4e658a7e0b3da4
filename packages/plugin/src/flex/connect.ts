import type { FetchLike, LifelineConfig, OpenStream } from '../core/index.ts';
import { createApiClient, createLifelineAgent, createRecoveryController } from '../core/index.ts';
import { registerAgentRegistration } from '../features/agent-registration/afterAcceptTask.ts';
import { registerNextAgentNotice } from '../features/next-agent/reservationCreated.ts';
import { registerAutoAccept } from '../features/auto-accept/reservationCreated.ts';
import { registerConferenceCallbacks } from '../features/conference-callbacks/beforeAcceptTask.ts';
import { registerEndConferenceForAll } from '../features/graceful-exit/beforeEndConferenceForAll.ts';
import { registerHangup } from '../features/graceful-exit/beforeHangupCall.ts';
import { registerTransfer } from '../features/graceful-exit/beforeTransferTask.ts';
import { registerCompleteGuard } from '../features/recovery-modal/beforeCompleteTask.ts';
import { registerWrapupGuard } from '../features/recovery-modal/beforeWrapupTask.ts';
import { mountRecoveryModal } from '../features/recovery-modal/mountModal.tsx';
import { registerRecoveryChecks } from '../features/recovery-modal/recoveryChecks.ts';
import { registerUnloadBeacon } from '../features/unload-beacon/pagehide.ts';
import type { Disposer, LifelineContext } from './context.ts';
import { readTaskView, tokenOf, workerView } from './tasks.ts';
import type { FlexApi, FlexManager } from './types.ts';

export interface ConnectOptions {
  config: LifelineConfig;
  fetch: FetchLike;
  openStream: OpenStream;
  window: Window;
  log?: (message: string, error?: unknown) => void;
}

export interface Connection {
  context: LifelineContext;
  disconnect: Disposer;
}

/** Wires every feature into Flex: the thin adapter between Flex and the core. */
export function connectLifeline(
  flex: FlexApi,
  manager: FlexManager,
  options: ConnectOptions,
): Connection {
  const log = options.log ?? ((message, error) => console.warn(message, error ?? ''));
  const { config } = options;
  const api = createApiClient({
    serverUrl: config.serverUrl,
    getToken: () => tokenOf(manager),
    fetch: options.fetch,
  });
  const worker = () => workerView(manager);
  const agent = createLifelineAgent({
    config,
    api,
    worker,
    // Flex finds a task by its reservation SID only.
    readTask: (_taskSid, reservationSid) => readTaskView(flex, reservationSid),
    log,
  });
  const recovery = createRecoveryController({
    api,
    workerSid: () => worker().workerSid,
    openStream: options.openStream,
    pollIntervalMs: config.pollIntervalMs,
    log,
  });
  const context: LifelineContext = {
    flex,
    manager,
    config,
    agent,
    recovery,
    window: options.window,
    log,
  };
  const disposers = [
    mountRecoveryModal(context),
    registerConferenceCallbacks(context),
    registerAgentRegistration(context),
    registerHangup(context),
    registerEndConferenceForAll(context),
    registerTransfer(context),
    registerWrapupGuard(context),
    registerCompleteGuard(context),
    registerAutoAccept(context),
    registerNextAgentNotice(context),
    registerRecoveryChecks(context),
    registerUnloadBeacon(context),
  ];
  return {
    context,
    disconnect: () => {
      disposers.forEach((dispose) => dispose());
      recovery.stop();
    },
  };
}
