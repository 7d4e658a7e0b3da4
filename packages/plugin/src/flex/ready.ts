import type { FlexManager } from './types.ts';

/** Resolves true once `check` holds (re-checked on each change), false after `timeoutMs`. */
export function waitFor(
  check: () => boolean,
  onChange: (listener: () => void) => () => void,
  timeoutMs: number,
): Promise<boolean> {
  if (check()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      stop();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const stop = onChange(() => {
      if (check()) finish(true);
    });
  });
}

/** Flex's Redux store changes (a reservation's task lands in `worker.tasks` through it). */
export function onStoreChange(manager: FlexManager) {
  return (listener: () => void): (() => void) =>
    manager.store.subscribe?.(listener) ?? (() => undefined);
}

/**
 * The Voice SDK Device Flex answers calls with (`manager.voiceClient`). Flex itself waits
 * for it before handling a reservation (bundle `ensureVoiceClientRegistered`): accepting a
 * call before it is registered leaves the agent without audio.
 */
export function voiceClientReady(manager: FlexManager): boolean {
  const device = manager.voiceClient;
  return device === undefined || device.state === 'registered';
}

export function onVoiceClientChange(manager: FlexManager) {
  return (listener: () => void): (() => void) => {
    const device = manager.voiceClient;
    if (device === undefined) return () => undefined;
    device.on('registered', listener);
    return () => {
      device.removeListener('registered', listener);
    };
  };
}
