import type { JsonObject } from '../json.ts';

/** The Recovery Ping for this worker (proof-of-concept attributes). */
export function isRecoveryPingFor(attributes: JsonObject, workerSid: string): boolean {
  if (attributes['name'] !== 'Recovery Ping') return false;
  const target = attributes['disconnectedWorkerSid'];
  return target === undefined || target === workerSid;
}

/** A reconnect task aimed at this worker. */
export function isReconnectFor(attributes: JsonObject, workerSid: string): boolean {
  return attributes['isReconnect'] === true && attributes['targetWorkerSid'] === workerSid;
}
