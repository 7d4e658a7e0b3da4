import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '@lifeline/simulator';
import { checkEffectsOnce } from '../../src/scale/effects-once.ts';
import { isSettled } from '../../src/scenarios/steps.ts';
import type { RecoveryView, ServerTimelineEntry } from '../../src/stack/lifeline-api.ts';

const sid = 'CF0123456789abcdef0123456789abcdef';
const asked = (name: string, key: string): ServerTimelineEntry => ({
  at: 0,
  kind: 'effect',
  name,
  detail: { key },
});
const ran = (name: string, key: string, result = 'ok'): ServerTimelineEntry => ({
  at: 0,
  kind: 'effect-result',
  name,
  detail: { key, attempt: 1, result },
});
const view = (timeline: ServerTimelineEntry[]) =>
  ({ conferenceSid: sid, timeline }) as unknown as RecoveryView;
const announce: RequestRecord = {
  at: 0,
  method: 'POST',
  path: `/2010-04-01/Accounts/AC1/Conferences/${sid}.json`,
  operationId: 'UpdateConference',
  params: { AnnounceUrl: 'http://127.0.0.1/twiml/announcement' },
  unknownParams: [],
  status: 200,
};

describe('the scale-out checks of effects', () => {
  it('take a key asked again after its result as done (the store does not enqueue it twice)', () => {
    const timeline = [asked('keepInConference', 'k1'), ran('keepInConference', 'k1')];
    expect(isSettled([...timeline, asked('keepInConference', 'k1')])).toBe(true);
    expect(isSettled([...timeline, asked('keepInConference', 'k2')])).toBe(false);
    expect(isSettled([asked('announceHold', 'a'), ran('announceHold', 'a', 'retry in 5 ms')])).toBe(
      false,
    );
  });

  it('find an effect run twice, in the ledger or at Twilio', () => {
    const once = [asked('announceHold', 'a'), ran('announceHold', 'a')];
    expect(checkEffectsOnce([announce], [view(once)]).problems).toEqual([]);
    expect(checkEffectsOnce([announce, announce], [view(once)]).problems).toEqual([
      `${sid}: announceHold asked 1, Twilio saw 2 (ok)`,
    ]);
    // Every attempt is named: a retry after a lost answer is the usual cause.
    const retried = [
      asked('announceHold', 'a'),
      ran('announceHold', 'a', 'retry in 5 ms: timeout'),
    ];
    expect(
      checkEffectsOnce([announce, announce], [view([...retried, ran('announceHold', 'a')])])
        .problems,
    ).toEqual([`${sid}: announceHold asked 1, Twilio saw 2 (retry in 5 ms: timeout; ok)`]);
    const twice = [...once, asked('announceHold', 'a'), ran('announceHold', 'a')];
    expect(checkEffectsOnce([announce], [view(twice)]).problems).toEqual([
      `${sid}: effect a has 2 results`,
    ]);
    expect(checkEffectsOnce([], [view([asked('announceHold', 'a')])]).problems).toEqual([
      `${sid}: effect a has 0 results`,
    ]);
  });
});
