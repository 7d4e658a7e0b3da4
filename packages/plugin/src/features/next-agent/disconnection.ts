import type { JsonObject } from '@lifeline/machine';

/**
 * The task attribute the server writes on reconnect and escalation tasks:
 * `disconnection: { workerSid, workerName, at (ISO), conferenceSid, reservationSid, taskSid }`.
 */
export interface Disconnection {
  workerSid: string;
  workerName: string;
  atMs: number;
}

export function readDisconnection(attributes: JsonObject): Disconnection | null {
  const raw = attributes['disconnection'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const { workerSid, workerName, at } = raw as Record<string, unknown>;
  const atMs = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  if (typeof workerSid !== 'string' || Number.isNaN(atMs)) return null;
  return {
    workerSid,
    workerName: typeof workerName === 'string' && workerName !== '' ? workerName : 'another agent',
    atMs,
  };
}
