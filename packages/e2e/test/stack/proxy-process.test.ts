import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/stack/free-port.ts';
import { ProxyProcess } from '../../src/stack/proxy-process.ts';

/** A backend that answers with its name and the request it was sent. */
async function backend(name: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${name} ${req.method ?? ''} ${req.url ?? ''}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected address');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

describe('the instance proxy in a process of its own', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  it('forwards round-robin, counts each backend, and is gone once closed', async () => {
    const a = await backend('a');
    const b = await backend('b');
    closing.push(
      () => new Promise((resolve) => a.server.close(() => resolve())),
      () => new Promise((resolve) => b.server.close(() => resolve())),
    );
    const port = await freePort();
    const { proxy, origin } = await ProxyProcess.start(
      [a.url, b.url],
      { kind: 'round-robin' },
      port,
    );
    closing.push(() => proxy.close());
    expect(origin).toBe(`http://127.0.0.1:${port}`);

    const answers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${origin}/webhooks/x?n=${i}`, { method: 'POST', body: 'k=v' });
      answers.push(await response.text());
    }
    expect(answers).toEqual([
      'a POST /webhooks/x?n=0',
      'b POST /webhooks/x?n=1',
      'a POST /webhooks/x?n=2',
      'b POST /webhooks/x?n=3',
    ]);
    expect(await proxy.perBackend()).toEqual([2, 2]);

    await proxy.close();
    await expect(fetch(`${origin}/webhooks/x`)).rejects.toThrow();
  });
});
