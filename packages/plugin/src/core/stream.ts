import type { RecoveryReport } from './api.ts';

/**
 * A server-sent event stream, as small as the sync needs: the browser adapter wraps
 * EventSource, tests and the simulator provide their own.
 */
export interface StreamHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  onError(): void;
}
export interface StreamLike {
  close(): void;
}
export type OpenStream = (url: string, handlers: StreamHandlers) => StreamLike;

/** `data: {"version":n,"snapshot":{...},"state":"pinging","final":false}` */
export function parseStreamData(data: string, conferenceSid: string): RecoveryReport | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const message = parsed as Record<string, unknown>;
  const { version, snapshot } = message;
  if (typeof version !== 'number' || typeof snapshot !== 'object' || snapshot === null) return null;
  const report: RecoveryReport = { conferenceSid, version, snapshot };
  if (typeof message['state'] === 'string') report.state = message['state'];
  if (typeof message['final'] === 'boolean') report.final = message['final'];
  return report;
}
