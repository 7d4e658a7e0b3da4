import type { FetchLike, OpenStream } from '../core/index.ts';

/** The browser APIs behind the core's injected I/O. */

export const browserFetch: FetchLike = (url, init) => window.fetch(url, init);

/** Looks EventSource up when a stream opens, not at load, so a page without it still loads. */
export function eventSourceStream(EventSourceImpl?: typeof EventSource): OpenStream {
  return (url, handlers) => {
    const source = new (EventSourceImpl ?? window.EventSource)(url);
    source.onopen = () => handlers.onOpen();
    source.onmessage = (event: MessageEvent<string>) => handlers.onMessage(event.data);
    source.onerror = () => handlers.onError();
    return { close: () => source.close() };
  };
}

/** Read at build time: webpack's DefinePlugin (flex-plugin build) replaces process.env.FLEX_APP_*. */
export function buildEnv(): Record<string, string | undefined> {
  try {
    return {
      FLEX_APP_LIFELINE_URL: process.env.FLEX_APP_LIFELINE_URL,
      FLEX_APP_LIFELINE_AUTO_ACCEPT_PING: process.env.FLEX_APP_LIFELINE_AUTO_ACCEPT_PING,
      FLEX_APP_LIFELINE_AUTO_ACCEPT_RECONNECT: process.env.FLEX_APP_LIFELINE_AUTO_ACCEPT_RECONNECT,
    };
  } catch {
    // Bundlers without that replacement leave no `process` in the browser.
    return {};
  }
}
