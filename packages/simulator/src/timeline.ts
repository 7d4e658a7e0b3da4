import type { RealClock } from './clock.ts';
import type { CallRecord, ConferenceRecord, Party } from './world/records.ts';
import type { World } from './world/world.ts';

/** What a call's party hears at a moment. */
export type Hearing =
  | { kind: 'ringing' }
  | { kind: 'announcement'; url: string }
  | { kind: 'playing'; what: string }
  | { kind: 'queue-music'; taskSid: string }
  | { kind: 'hold-music'; url: string }
  | { kind: 'wait-music' }
  | { kind: 'parties'; parties: string[] }
  | { kind: 'silence' }
  | { kind: 'nothing' }
  | { kind: 'ended' };

export interface HearingSegment {
  from: number;
  /** null while it lasts. */
  to: number | null;
  hearing: Hearing;
  text: string;
}

export interface TimelineEntry {
  at: number;
  text: string;
}

export function partyName(party: Party, call: CallRecord): string {
  switch (party.kind) {
    case 'customer':
      return 'customer';
    case 'agent':
      return `agent ${party.workerName}`;
    case 'external':
      return `external ${call.to}`;
  }
}

export function describe(hearing: Hearing): string {
  switch (hearing.kind) {
    case 'ringing':
      return 'hears ringing';
    case 'announcement':
      return `hears announcement ${hearing.url}`;
    case 'playing':
      return `hears ${hearing.what}`;
    case 'queue-music':
      return 'hears queue music';
    case 'hold-music':
      return `hears hold music ${hearing.url}`;
    case 'wait-music':
      return 'hears wait music (conference not started)';
    case 'parties':
      return `hears ${hearing.parties.join(', ')}`;
    case 'silence':
      return 'hears silence';
    case 'nothing':
      return 'not connected';
    case 'ended':
      return 'call ended';
  }
}

/** Who a conference's connected participants are, as one refresh sees them (see hearingOf). */
interface Listener {
  callSid: string;
  name: string;
  heard: boolean;
  coaching: boolean;
  callSidToCoach: string | null;
}

/**
 * A conference's connected participants once per refresh: every call in it asks, and working
 * them out again for each was most of the simulator's time with hundreds of calls.
 */
type Rooms = Map<string, Listener[]>;

function listenersOf(world: World, conference: ConferenceRecord, rooms: Rooms): Listener[] {
  const known = rooms.get(conference.sid);
  if (known !== undefined) return known;
  const listeners = world.conferences.connected(conference).map((p) => {
    const other = world.calls.get(p.callSid);
    return {
      callSid: p.callSid,
      name: other === undefined ? p.callSid : partyName(other.party, other),
      heard: !p.hold && !p.muted,
      coaching: p.coaching,
      callSidToCoach: p.callSidToCoach,
    };
  });
  rooms.set(conference.sid, listeners);
  return listeners;
}

function hearingOf(world: World, call: CallRecord, now: number, rooms: Rooms): Hearing {
  const place = call.place;
  switch (place.kind) {
    case 'ended':
      return { kind: 'ended' };
    case 'ringing':
      return { kind: 'ringing' };
    case 'idle':
      return { kind: 'nothing' };
    case 'playing':
      return { kind: 'playing', what: place.what };
    case 'queue':
      return { kind: 'queue-music', taskSid: place.taskSid };
    case 'conference': {
      const conference = world.conferences.get(place.conferenceSid);
      const me = conference?.participants.get(call.sid);
      if (conference === undefined || me === undefined) return { kind: 'nothing' };
      if (me.hearing !== null && me.hearing.until > now)
        return { kind: 'announcement', url: me.hearing.url };
      if (me.hold) return { kind: 'hold-music', url: me.holdUrl ?? 'default hold music' };
      if (conference.status === 'init') return { kind: 'wait-music' };
      const parties = listenersOf(world, conference, rooms)
        .filter((p) => p.callSid !== call.sid && p.heard)
        .filter((p) => !p.coaching || p.callSidToCoach === call.sid)
        .map((p) => p.name)
        .sort();
      return parties.length === 0 ? { kind: 'silence' } : { kind: 'parties', parties };
    }
  }
}

/** A call's history as its party lived it; a snapshot taken when asked for. */
export class CallTimeline {
  constructor(
    readonly callSid: string,
    readonly party: Party,
    readonly entries: readonly TimelineEntry[],
    readonly segments: readonly HearingSegment[],
    readonly now: number,
    readonly endedAt: number | null,
  ) {}

  texts(): string[] {
    return this.entries.map((e) => e.text);
  }

  /** Whether some entry's text equals (string) or matches (RegExp) the given one. */
  has(text: string | RegExp): boolean {
    return this.entries.some((e) =>
      typeof text === 'string' ? e.text === text : text.test(e.text),
    );
  }

  /** Milliseconds spent hearing what the predicate (or kind) selects. */
  msHearing(select: Hearing['kind'] | ((hearing: Hearing) => boolean)): number {
    const test = typeof select === 'string' ? (h: Hearing) => h.kind === select : select;
    return this.segments
      .filter((s) => test(s.hearing))
      .reduce((sum, s) => sum + ((s.to ?? this.now) - s.from), 0);
  }

  /** Whether the party ever heard someone whose name starts with `name` (e.g. `agent Alice`). */
  heard(name: string): boolean {
    return this.segments.some(
      (s) => s.hearing.kind === 'parties' && s.hearing.parties.some((p) => p.startsWith(name)),
    );
  }

  get ended(): boolean {
    return this.endedAt !== null;
  }

  /** The hearing segments' texts, in order (for readable assertion failures). */
  story(): string[] {
    return this.segments.map((s) => `+${s.from - (this.segments[0]?.from ?? s.from)}ms ${s.text}`);
  }
}

interface Track {
  party: Party;
  entries: TimelineEntry[];
  segments: HearingSegment[];
  endedAt: number | null;
}

/** Follows every call: notes of what happened to it, and segments of what it heard. */
export class Timeline {
  private readonly tracks = new Map<string, Track>();
  /** The tracks whose call has not ended: only they can change. */
  private readonly live = new Map<string, Track>();
  private scheduled = false;

  constructor(
    private readonly world: World,
    private readonly clock: RealClock,
  ) {
    world.events.on('callCreated', ({ callSid, party, at }) => {
      const track: Track = {
        party,
        entries: [{ at, text: 'call created' }],
        segments: [],
        endedAt: null,
      };
      this.tracks.set(callSid, track);
      this.live.set(callSid, track);
    });
    world.events.on('note', ({ callSid, at, text }) => {
      this.tracks.get(callSid)?.entries.push({ at, text });
    });
    // Coalesced: one synchronous operation passes through transient states (a redirected
    // call is briefly nowhere); what the party hears is the state once the operation is done.
    world.events.on('changed', () => {
      if (this.scheduled) return;
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.refresh();
      });
    });
  }

  /** Recomputes what each live call hears and closes/opens segments where it changed. */
  refresh(at = this.clock.now()): void {
    const rooms: Rooms = new Map();
    for (const [callSid, track] of this.live) {
      const call = this.world.calls.get(callSid);
      if (call === undefined) continue;
      const hearing = hearingOf(this.world, call, at, rooms);
      const text = describe(hearing);
      let last = track.segments.at(-1);
      if (last !== undefined && last.text === text) continue;
      if (last !== undefined && last.from === at) {
        // A zero-length segment: replaced rather than kept.
        track.segments.pop();
        const entry = track.entries.findLastIndex((e) => e.at === at && e.text === last?.text);
        if (entry >= 0) track.entries.splice(entry, 1);
        last = track.segments.at(-1);
        if (last !== undefined && last.text === text) {
          last.to = null;
          continue;
        }
      }
      if (last !== undefined) last.to = at;
      if (hearing.kind === 'ended') {
        track.endedAt = at;
        this.live.delete(callSid);
        continue;
      }
      track.segments.push({ from: at, to: null, hearing, text });
      track.entries.push({ at, text });
    }
  }

  of(callSid: string): CallTimeline {
    const now = this.clock.now();
    this.refresh(now);
    const track = this.tracks.get(callSid);
    if (track === undefined) throw new Error(`no call ${callSid} in the timeline`);
    return new CallTimeline(
      callSid,
      track.party,
      [...track.entries],
      track.segments.map((s) => ({ ...s })),
      now,
      track.endedAt,
    );
  }
}
