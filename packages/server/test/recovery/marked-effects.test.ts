/**
 * The effects marked before their request goes out (effects/unverifiable.ts): a first attempt
 * makes its one request, skipping any read; an attempt after one that may have reached Twilio
 * unanswered checks Twilio first, or, for the announcement, sends nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Effect } from '@lifeline/machine';
import { execute, NOT_SENT_AGAIN } from '../../src/effects/executors.ts';
import type { ExecutorContext } from '../../src/effects/executors.ts';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { onFakeTwilio } from '../support/executor.ts';
import { sid } from '../support/payloads.ts';

const CONFERENCE = sid('CF', 7);
const PARTY = sid('CA', 8);
const RECOVERY = `${CONFERENCE}:1`;
const NEW_CONFERENCE_NAME = sid('WT', 9);

describe('effects marked before their request goes out', () => {
  let twilio: FakeTwilio;
  let ctx: ExecutorContext;
  beforeEach(async () => {
    ({ twilio, ctx } = await onFakeTwilio());
  });
  afterEach(() => twilio.close());

  const requests = () => twilio.calls.map((call) => `${call.method} ${call.path}`);
  const ping: Effect = {
    type: 'createPingTask',
    params: {
      key: `${RECOVERY}:ping`,
      recoveryId: RECOVERY,
      workerSid: sid('WK', 1),
      attributes: { lifeline: { recoveryId: RECOVERY, kind: 'ping', conferenceSid: CONFERENCE } },
      priority: 100,
      timeoutS: 15,
    },
  };
  const move: Effect = {
    type: 'moveParticipant',
    params: {
      key: `${RECOVERY}:move:${PARTY}`,
      recoveryId: RECOVERY,
      callSid: PARTY,
      conferenceName: NEW_CONFERENCE_NAME,
      label: 'external',
      endConferenceOnExit: false,
      muted: false,
    },
  };

  it('announce once: nothing is sent after a request that may have arrived', async () => {
    const announce: Effect = {
      type: 'announceHold',
      params: { key: 'a', conferenceSid: CONFERENCE },
    };
    expect((await execute(announce, ctx, { mayHaveRunBefore: true })).detail).toBe(NOT_SENT_AGAIN);
    expect(requests()).toEqual([]);
    await execute(announce, ctx, { mayHaveRunBefore: false });
    expect(requests()).toEqual([
      `POST /2010-04-01/Accounts/${ctx.accountSid}/Conferences/${CONFERENCE}.json`,
    ]);
  });

  it('create the ping task with one request, and find it after a request that may have created it', async () => {
    const first = await execute(ping, ctx, { mayHaveRunBefore: false });
    expect(requests()).toEqual([`POST /v1/Workspaces/${ctx.workspaceSid}/Tasks`]);
    const [created] = [...twilio.tasks.keys()];
    expect(first.detail).toBe(`created ${created}`);
    const again = await execute(ping, ctx, { mayHaveRunBefore: true });
    expect(again.detail).toBe(`found ${created}`);
    expect(again.events).toMatchObject([{ type: 'effect.pingTaskCreated', taskSid: created }]);
    expect(twilio.tasks.size).toBe(1);
  });

  it('move a party with one redirect, and not again once it is in the new conference', async () => {
    await execute(move, ctx, { mayHaveRunBefore: false });
    const redirect = `POST /2010-04-01/Accounts/${ctx.accountSid}/Calls/${PARTY}.json`;
    expect(requests()).toEqual([redirect]);
    // Not there yet (the first redirect never arrived): redirected again.
    await execute(move, ctx, { mayHaveRunBefore: true });
    expect(requests().filter((r) => r === redirect)).toHaveLength(2);
    // There: reported moved, no third redirect.
    const newConference = sid('CF', 10);
    twilio.conferences.set(newConference, NEW_CONFERENCE_NAME);
    twilio.participants.set(newConference, [
      {
        call_sid: PARTY,
        label: 'external',
        status: 'connected',
        hold: false,
        muted: false,
        coaching: false,
        end_conference_on_exit: false,
      },
    ]);
    const outcome = await execute(move, ctx, { mayHaveRunBefore: true });
    expect(outcome.detail).toBe(`already in ${NEW_CONFERENCE_NAME}`);
    expect(outcome.events).toMatchObject([{ type: 'effect.partyMoved', callSid: PARTY }]);
    expect(requests().filter((r) => r === redirect)).toHaveLength(2);
  });
});
