import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Broadcaster, Change } from '../recovery/broadcaster.ts';

/** A comment line this often (in broadcaster ticks, about a second each) keeps proxies from idling a stream out. */
const KEEP_ALIVE_TICKS = 15;

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

export interface StreamOptions {
  conferenceSid: string;
  /** Extra response headers (CORS). */
  headers?: Record<string, string>;
  /** Each change of the conference: this instance's commits at once, others' through pub/sub. */
  onChange: (change: Change) => void;
  /** Per-second housekeeping beyond the keep-alive (a token re-check when due). */
  onTick?: () => void;
}

export interface OpenStream {
  raw: ServerResponse;
  /** Ends the response and stops listening. */
  end: () => void;
}

/**
 * The SSE streams of one route scope. A stream is woken by changes, never polls the store,
 * and shares the broadcaster's one timer for keep-alives. Every open stream ends when the app
 * closes, so shutdown is not held up by idle clients.
 */
export function sseStreams(app: FastifyInstance, broadcaster: () => Broadcaster) {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  return (request: FastifyRequest, reply: FastifyReply, options: StreamOptions): OpenStream => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { ...SSE_HEADERS, ...options.headers });
    const hub = broadcaster();
    const unsubscribe = hub.subscribe(options.conferenceSid, options.onChange);
    let ticks = 0;
    const stopTicking = hub.every(() => {
      ticks += 1;
      if (ticks % KEEP_ALIVE_TICKS === 0 && !raw.writableEnded) raw.write(': keep-alive\n\n');
      options.onTick?.();
    });
    const close = () => {
      stopTicking();
      unsubscribe();
      open.delete(end);
    };
    const end = () => {
      close();
      raw.end();
    };
    open.add(end);
    request.raw.on('close', close);
    return { raw, end };
  };
}
