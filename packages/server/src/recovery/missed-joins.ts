import type { Twilio } from 'twilio';
import type { FastifyBaseLogger } from 'fastify';
import type { ParticipantJoined } from '@lifeline/machine';
import { restore } from '@lifeline/machine';
import { classify, describeError, isNotFound } from '../effects/errors.ts';
import type { RecoveryStore } from '../store/types.ts';
import type { RecoveryEngine } from './engine.ts';
import { forwardToRedial } from './redial-forward.ts';

/**
 * Joins lost while no instance was listening. Twilio does not redeliver a status callback
 * that found no server (an instance SIGKILLed mid-recovery, a deploy), so a join lost then is
 * never seen: a re-dial waits for a party who is in fact in the new conference, or a
 * conference's own recovery never hears of someone in it. When an instance starts, it reads
 * each live conference's participants from Twilio and delivers every connected participant
 * its conference has not seen as a join, to that conference and to a re-dial waiting for it.
 *
 * Such a join has no SequenceNumber: it is delivered with 0, below any real callback's
 * (Twilio's start at 1), so it never shadows one, and a re-dial that already saw the party
 * ignores it as stale.
 */
export const MISSED_JOIN_SEQ = 0;

interface MissedJoinsOptions {
  client: Twilio;
  accountSid: string;
  store: RecoveryStore;
  engine: RecoveryEngine;
  log: FastifyBaseLogger;
  now: () => number;
  /** Attempts at a read answered 429, 5xx or not at all (default 3). */
  attempts?: number;
  /** First retry delay, doubled each time (default 500 ms). */
  retryDelayMs?: number;
}

interface LiveParticipant {
  callSid: string;
  label: string | null;
  status: string;
  hold: boolean;
  muted: boolean;
  coaching: boolean;
  endConferenceOnExit: boolean;
}

export class MissedJoins {
  readonly #o: Required<MissedJoinsOptions>;
  #stopped = false;
  #sweep: Promise<void> | null = null;

  constructor(options: MissedJoinsOptions) {
    this.#o = { attempts: 3, retryDelayMs: 500, ...options };
  }

  /** Sweeps once in the background; a failure is logged, never thrown at the caller. */
  start(): void {
    this.#stopped = false;
    this.#sweep = this.sweep().then(
      (delivered) => {
        if (delivered > 0) this.#o.log.info({ delivered }, 'missed joins delivered');
      },
      (error: unknown) => {
        this.#o.log.warn({ err: describeError(error) }, 'missed joins: sweep failed');
      },
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#sweep;
  }

  /** Reads every live conference once; returns how many joins it delivered. */
  async sweep(): Promise<number> {
    const api = this.#o.client.api.v2010.accounts(this.#o.accountSid);
    const conferences = await this.#retried(() =>
      api.conferences.list({ status: 'in-progress', limit: 200 }),
    );
    let delivered = 0;
    for (const conference of conferences) {
      if (this.#stopped) break;
      let participants: LiveParticipant[];
      try {
        participants = await this.#retried(() =>
          api.conferences(conference.sid).participants.list({ limit: 50 }),
        );
      } catch (error) {
        // Ended meanwhile: nothing in it to miss.
        if (isNotFound(error)) continue;
        throw error;
      }
      const connected = participants.filter((p) => p.status === 'connected');
      delivered += await this.#deliver(conference.sid, conference.friendlyName, connected);
    }
    return delivered;
  }

  async #deliver(
    conferenceSid: string,
    friendlyName: string,
    participants: LiveParticipant[],
  ): Promise<number> {
    const stored = await this.#o.store.load(conferenceSid);
    const seen =
      stored === null
        ? {}
        : (restore(stored.snapshot).context.participants as Record<string, unknown>);
    let delivered = 0;
    for (const p of participants) {
      const event: ParticipantJoined = {
        type: 'participant.joined',
        at: this.#o.now(),
        seq: MISSED_JOIN_SEQ,
        callSid: p.callSid,
        label: p.label === '' ? null : p.label,
        endConferenceOnExit: p.endConferenceOnExit,
        hold: p.hold,
        muted: p.muted,
        coaching: p.coaching,
      };
      const dedupeId = `mj:${conferenceSid}:${p.callSid}`;
      // The re-dial's own freshness check drops a join it already saw.
      const forwarded = await forwardToRedial(
        this.#o.store,
        this.#o.engine,
        { conferenceSid, friendlyName, statusCallbackEvent: 'participant-join', event },
        dedupeId,
      );
      if (forwarded !== null) delivered += 1;
      // A conference the server never heard of is adopted only as a re-dial's new one: any
      // other is a call Lifeline was never told about, left alone as in plain Flex.
      if (p.callSid in seen || (stored === null && forwarded === null)) continue;
      await this.#o.engine.dispatch({
        conferenceSid,
        event,
        source: 'missed-join',
        dedupeIds: [dedupeId],
        create: true,
        firstSight: { type: 'conference.discovered', at: event.at, friendlyName },
        note: 'connected in Twilio, its join callback never seen',
      });
      delivered += 1;
    }
    return delivered;
  }

  async #retried<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await read();
      } catch (error) {
        if (attempt >= this.#o.attempts || classify(error) !== 'retry' || this.#stopped) {
          throw error;
        }
        await new Promise((resolve) =>
          setTimeout(resolve, this.#o.retryDelayMs * 2 ** (attempt - 1)),
        );
      }
    }
  }
}
