import type { RecoverySnapshot } from '@lifeline/machine';
import { RecentMap } from '../recent-map.ts';

/** A conference as this instance last loaded or committed it. */
export interface CachedRecovery {
  version: number;
  snapshot: RecoverySnapshot;
  /** The listing summary this instance last stored with it (JSON), when it did. */
  summary?: string;
}

/**
 * The restored snapshots of the conferences this instance touched last, so a webhook need not
 * read and restore what this instance just wrote. Redis stays the truth: every commit is a
 * compare-and-set on the cached version, and a conflict (another instance moved it on, or the
 * keys expired) drops the entry and reloads. Bounded: the least recently used goes first.
 */
export class SnapshotCache extends RecentMap<CachedRecovery> {}
