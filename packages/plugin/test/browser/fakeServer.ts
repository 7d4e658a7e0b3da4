import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecoveryReport } from '../../src/core/index.ts';

/**
 * A small stand-in for the Lifeline server's plugin API (the contract the plugin codes
 * against): records every request, answers GET /recovery from `state.recovery`, and pushes
 * each new report to the open event streams.
 */
export interface Received {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export async function startFakeServer() {
  const received: Received[] = [];
  const streams = new Set<ServerResponse>();
  let recovery: RecoveryReport | null = null;
  let onUnload: () => void = () => undefined;
  const files = new Map<string, string>();

  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  };
  const message = (report: RecoveryReport) =>
    `data: ${JSON.stringify({ version: report.version, snapshot: report.snapshot, state: report.state, final: report.final })}\n\n`;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const url = new URL(request.url ?? '/', 'http://localhost');
    received.push({
      method: request.method ?? '',
      path: url.pathname + url.search,
      authorization: request.headers.authorization,
      body,
    });
    const file = files.get(url.pathname);
    if (file !== undefined) {
      response
        .writeHead(200, { ...cors, 'Content-Type': 'text/javascript' })
        .end(readFileSync(file));
    } else if (request.method === 'OPTIONS') {
      response.writeHead(204, cors).end();
    } else if (url.pathname.endsWith('/stream')) {
      response.writeHead(200, {
        ...cors,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
      });
      response.write(': connected\n\n');
      if (recovery !== null) response.write(message(recovery));
      streams.add(response);
      request.on('close', () => streams.delete(response));
    } else if (url.pathname.endsWith('/unload')) {
      response.writeHead(204, cors).end();
      onUnload();
    } else if (url.pathname.endsWith('/recovery')) {
      if (recovery === null) response.writeHead(404, cors).end('{"error":"no recovery"}');
      else
        response
          .writeHead(200, { ...cors, 'Content-Type': 'application/json' })
          .end(JSON.stringify(recovery));
    } else {
      response
        .writeHead(200, { ...cors, 'Content-Type': 'application/json' })
        .end('{"ok":true,"version":1}');
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Serves a file as it is, e.g. the built plugin bundle (the way Flex loads a plugin). */
    serveFile(path: string, filePath: string) {
      files.set(path, filePath);
      return `http://127.0.0.1:${port}${path}`;
    },
    whenUnloaded(callback: () => void) {
      onUnload = callback;
    },
    publish(report: RecoveryReport) {
      recovery = report;
      for (const stream of streams) stream.write(message(report));
    },
    async close() {
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
