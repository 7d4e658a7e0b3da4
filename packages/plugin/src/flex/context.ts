import type { LifelineAgent, LifelineConfig, RecoveryController } from '../core/index.ts';
import type { ActionListener, FlexApi, FlexManager } from './types.ts';

/** What every feature's adapter gets: Flex, the configuration and the core's objects. */
export interface LifelineContext {
  flex: FlexApi;
  manager: FlexManager;
  config: LifelineConfig;
  agent: LifelineAgent;
  recovery: RecoveryController;
  /** The page (pagehide, sendBeacon); injected so tests can use jsdom's or a fake. */
  window: Window;
  log: (message: string, error?: unknown) => void;
}

export type Disposer = () => void;

/** Adds a Flex action listener and returns the function that removes it. */
export function listen(flex: FlexApi, event: string, listener: ActionListener): Disposer {
  flex.Actions.addListener(event, listener);
  return () => {
    flex.Actions.removeListener(event, listener);
  };
}

/** Waits for work at most `ms`: Flex awaits before-listeners, and an agent must never hang. */
export function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void work.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
