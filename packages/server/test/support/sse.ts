import type { IncomingMessage } from 'node:http';

/** Reads Server-Sent Events `data:` payloads off a live response. */
export function sseReader(response: IncomingMessage) {
  const messages: unknown[] = [];
  let buffer = '';
  const waiters: (() => void)[] = [];
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data !== undefined) messages.push(JSON.parse(data.slice(6)));
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  return {
    messages,
    async next(count: number) {
      const deadline = Date.now() + 5000;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${messages.length} SSE messages arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return messages[count - 1];
    },
  };
}
