import type { Disposer, LifelineContext } from '../../flex/context.ts';
import { workerTasks } from '../../flex/tasks.ts';

/**
 * A reload during a call ends the agent's leg at once. Telling the server while the page
 * goes lets it start the recovery as a refresh before the conference callback arrives.
 * sendBeacon survives the unload but cannot send headers, so the token is in the body, and
 * the body is a string (text/plain) because a JSON Blob would need a CORS preflight.
 */
export function pagehide(ctx: LifelineContext) {
  return (): void => {
    const beacons = ctx.agent.pagehide(workerTasks(ctx.flex, ctx.manager));
    for (const beacon of beacons) ctx.window.navigator.sendBeacon(beacon.url, beacon.body);
  };
}

export function registerUnloadBeacon(ctx: LifelineContext): Disposer {
  const listener = pagehide(ctx);
  ctx.window.addEventListener('pagehide', listener);
  return () => ctx.window.removeEventListener('pagehide', listener);
}
