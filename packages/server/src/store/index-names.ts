/**
 * Names of the routing indexes (fields of the {idx} slot's bucket hashes: routing-index.ts) a
 * commit points at its conference (CommitRequest.index), and which of them a finished
 * conference keeps.
 */

export const taskIndexName = (taskSid: string) => `task:${taskSid}`;
export const workerIndexName = (workerSid: string) => `worker:${workerSid}`;
export const bridgeIndexName = (conferenceSid: string) => `bridge:${conferenceSid}`;

/**
 * Whether an index still pointing at a conference when it ends lives on with it (its final
 * TTL) rather than being deleted. Task and re-dial indexes only route events to a live
 * conference; a worker's only matters while the finished recovery concerns that worker (the
 * plugin's view after a reload answers nothing otherwise); a bridge index is asked after the
 * bridged conference ended, so it is kept.
 */
export function keptAfterEnd(auditWorkerSids: readonly string[]): (name: string) => boolean {
  const workers = new Set(auditWorkerSids.map(workerIndexName));
  return (name) => name.startsWith(bridgeIndexName('')) || workers.has(name);
}
