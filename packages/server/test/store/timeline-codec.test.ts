import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../../src/store/timeline-codec.ts';
import type { TimelineEntry } from '../../src/store/types.ts';

const AT = 1_796_112_568_984;

const roundTrip = (entry: TimelineEntry) => decodeEntry(encodeEntry(entry));

describe('timeline entry encoding', () => {
  it('round-trips what the engine and the runner write, in fewer bytes', () => {
    const event: TimelineEntry = {
      at: AT,
      kind: 'event',
      name: 'participant.updated',
      state: 'connected',
      detail: {
        source: 'conference-status',
        outcome: 'applied',
        at: AT - 300,
        seq: 18,
        callSid: 'CA0123456789abcdef0123456789abcdef',
        label: 'customer',
        endConferenceOnExit: false,
        hold: true,
        change: 'hold',
      },
    };
    const result: TimelineEntry = {
      at: AT,
      kind: 'effect-result',
      name: 'keepInConference',
      detail: { key: 'keep-1', attempt: 1, result: 'done', latencyMs: 85 },
    };
    for (const entry of [event, result]) {
      expect(roundTrip(entry)).toEqual(entry);
      expect(encodeEntry(entry).length).toBeLessThan(JSON.stringify(entry).length * 0.6);
    }
  });

  it('round-trips any JSON detail: unknown fields, fields named like short names, odd values', () => {
    const entries: TimelineEntry[] = [
      { at: AT, kind: 'note', name: 'bare' },
      { at: AT, kind: 'note', name: 'null detail', detail: null },
      { at: AT, kind: 'note', name: 'text', detail: 'refresh beacon' },
      { at: AT, kind: 'note', name: 'list', detail: [1, 'two', { s: 3 }] },
      { at: AT, kind: 'effect', name: 'x', state: 'pinging', detail: { key: 'k' } },
      { at: AT, kind: 'event', name: 'agent.registered', detail: { at: 1.5, A: 'not a delta' } },
      { at: AT, kind: 'event', name: 'some.future.event', detail: { at: AT + 10 } },
      {
        at: AT,
        kind: 'event',
        name: 'odd',
        detail: {
          s: 'short name as a field',
          '~tilde': 1,
          source: 'somewhere new',
          outcome: 7,
          nested: { source: 'conference-status' },
          unknownField: [true],
        },
      },
    ];
    for (const entry of entries) expect(roundTrip(entry)).toEqual(entry);
  });

  it('still reads entries stored as JSON objects', () => {
    const stored = {
      at: AT,
      kind: 'event',
      name: 'conference.ended',
      state: 'conferenceEnded',
      detail: { source: 'conference-status', outcome: 'applied', seq: 99 },
    };
    expect(decodeEntry(JSON.stringify(stored))).toEqual(stored);
  });
});
