import type { OpenStream, StreamHandlers } from 'plugin-lifeline/core';
import { isLoopbackHost } from '@lifeline/simulator/model';

/**
 * EventSource for the simulated plugins (Node has none): reads `text/event-stream` over fetch
 * and hands each event's data to the plugin's stream sync. Like EventSource it reports a
 * failed or ended connection through onError and leaves reconnecting to the sync.
 */
export const nodeEventStream: OpenStream = (url, handlers) => {
  const controller = new AbortController();
  let closed = false;
  const fail = () => {
    if (!closed) handlers.onError();
  };
  void read(url, handlers, controller.signal).then(fail, fail);
  return {
    close() {
      closed = true;
      controller.abort();
    },
  };
};

async function read(url: string, handlers: StreamHandlers, signal: AbortSignal): Promise<void> {
  if (!isLoopbackHost(new URL(url).hostname)) throw new Error(`refused: ${url} is not loopback`);
  const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal });
  if (response.status !== 200 || response.body === null) {
    await response.body?.cancel();
    throw new Error(`stream answered ${response.status}`);
  }
  handlers.onOpen();
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const data = dataOf(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (data !== null) handlers.onMessage(data);
      end = buffer.indexOf('\n\n');
    }
  }
}

/** The `data:` lines of one event, joined as EventSource joins them; null for comments only. */
function dataOf(block: string): string | null {
  const lines = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''));
  return lines.length === 0 ? null : lines.join('\n');
}
