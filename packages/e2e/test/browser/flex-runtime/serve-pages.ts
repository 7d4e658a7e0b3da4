import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The pages on http://127.0.0.1 (Flex reads sessionStorage at load, which about:blank
 * refuses): `/<page>` is the shim, the real Flex bundle, then that page's module.
 */
const html = (page: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>${page}</title>
<script>window.process = { env: { NODE_ENV: 'production' } };</script>
<script src="/real-flex.js"></script>
<script type="module" src="/${page}.js"></script>
</head><body style="margin:0;font-family:sans-serif"><main id="desk"><h1>Flex</h1><button type="button">Flex button</button></main><div id="root"></div></body></html>`;

export async function servePages(outdir: string) {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://pages').pathname;
    if (path.endsWith('.js')) {
      try {
        const code = readFileSync(`${outdir}${path}`);
        response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(code);
      } catch {
        response.writeHead(404).end();
      }
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(html(path.slice(1)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (page: string, query = '') => `http://127.0.0.1:${port}/${page}${query}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
