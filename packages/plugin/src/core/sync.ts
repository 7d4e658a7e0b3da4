import type { ApiClient, RecoveryReport } from './api.ts';
import type { OpenStream, StreamLike } from './stream.ts';
import { parseStreamData } from './stream.ts';

/**
 * Keeps one conference's recovery snapshot coming: the server's event stream first; while
 * it is down, a poll of GET /workers/:workerSid/recovery, and the stream is reopened with
 * backoff. EventSource retries by itself only on network errors (an HTTP error closes it for
 * good), so the sync closes and reopens it itself in every case.
 */
export interface SyncOptions {
  api: ApiClient;
  conferenceSid: string;
  workerSid: string;
  openStream: OpenStream;
  pollIntervalMs: number;
  onReport: (report: RecoveryReport) => void;
  /** The server no longer reports a recovery for this worker (404 while polling). */
  onGone: () => void;
  log?: (message: string, error?: unknown) => void;
}

export interface RecoverySync {
  stop(): void;
}

const MAX_RECONNECT_MS = 30_000;

export function startRecoverySync(options: SyncOptions): RecoverySync {
  const { api, conferenceSid, workerSid, openStream, pollIntervalMs, onReport, onGone } = options;
  const log = options.log ?? (() => undefined);
  let stream: StreamLike | null = null;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let stopped = false;

  async function poll() {
    try {
      const report = await api.getRecovery(workerSid);
      if (stopped) return;
      if (report === null) onGone();
      else if (report.conferenceSid === conferenceSid) onReport(report);
    } catch (error) {
      log('Lifeline: polling the recovery failed', error);
    }
  }

  function stopPolling() {
    if (pollTimer !== null) clearInterval(pollTimer);
    pollTimer = null;
  }

  function startPolling() {
    if (pollTimer !== null) return;
    void poll();
    pollTimer = setInterval(() => void poll(), pollIntervalMs);
  }

  function open() {
    reconnectTimer = null;
    if (stopped) return;
    stream = openStream(api.streamUrl(conferenceSid), {
      onOpen: () => {
        failures = 0;
        stopPolling();
      },
      onMessage: (data) => {
        const report = parseStreamData(data, conferenceSid);
        if (report !== null && !stopped) onReport(report);
      },
      onError: () => {
        if (stopped) return;
        stream?.close();
        stream = null;
        failures += 1;
        startPolling();
        if (reconnectTimer === null) {
          const delay = Math.min(MAX_RECONNECT_MS, 1_000 * 2 ** Math.min(failures - 1, 5));
          reconnectTimer = setTimeout(open, delay);
        }
      },
    });
  }

  open();
  return {
    stop() {
      stopped = true;
      stream?.close();
      stream = null;
      stopPolling();
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      reconnectTimer = null;
    },
  };
}
