/**
 * The timeline fields of the conferences this instance wrote last, as it wrote them, so a
 * commit can pack the timeline itself (lua/commit.lua ARGV[20..22]) instead of reading it back
 * and packing it afterwards (lua/compact-timeline.lua: three more round trips, every few
 * commits). Only a guess: the commit writes the packed timeline only when the fields still
 * hold what it was packed from, and otherwise appends as without it. Bounded (RecentMap).
 */
import { RecentMap } from '../recent-map.ts';
import type { Packed } from './packing.ts';

export interface KnownTimeline {
  /** The state's version when the fields were written. */
  version: number;
  /** The 'timeline' field as stored, null when absent. */
  packed: Packed | null;
  /** The 'tail' field as stored: entries each followed by a newline ('' when absent). */
  tail: string;
}

/** As many as the engine's snapshot cache (recovery/engine.ts DEFAULT_SNAPSHOT_CACHE). */
export const KNOWN_TIMELINES = 5_000;

export class TimelineCache {
  readonly #entries: RecentMap<KnownTimeline>;

  constructor(capacity = KNOWN_TIMELINES) {
    this.#entries = new RecentMap(capacity);
  }

  /** What was written at `version`, or undefined when that is not known. */
  at(conferenceSid: string, version: number): KnownTimeline | undefined {
    const known = this.#entries.get(conferenceSid);
    return known?.version === version ? known : undefined;
  }

  /** What was written last, whatever the version. */
  latest(conferenceSid: string): KnownTimeline | undefined {
    return this.#entries.get(conferenceSid);
  }

  set(conferenceSid: string, known: KnownTimeline): void {
    this.#entries.set(conferenceSid, known);
  }

  delete(conferenceSid: string): void {
    this.#entries.delete(conferenceSid);
  }
}
