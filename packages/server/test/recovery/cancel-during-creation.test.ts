/**
 * A cancel for a task whose creation is still in flight (the customer hung up while the ping
 * was being created): it waits for the creation, then finds and cancels the task. Looked up
 * before the check that the creation is over, the task could be missed (created between the
 * two reads) and later accepted by the agent with no call behind it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Effect } from '@lifeline/machine';
import { execute } from '../../src/effects/executors.ts';
import { createTwilio } from '../../src/twilio/client.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import type { FakeTwilio } from '../support/fake-twilio.ts';
import { REQUIRED_ENV } from '../support/env.ts';
import { executorContext } from '../support/executor.ts';
import { sid } from '../support/payloads.ts';

const CONFERENCE = sid('CF', 31);
const RECOVERY = `${CONFERENCE}:1`;
const PING = sid('WT', 32);
const PING_KEY = `${RECOVERY}:ping`;

const cancelPing: Effect = {
  type: 'cancelTask',
  params: {
    key: `${RECOVERY}:cancel-ping`,
    recoveryId: RECOVERY,
    kind: 'ping',
    taskSid: null,
    reason: 'Customer hung up',
    createdBy: PING_KEY,
  },
};

describe('a cancel racing the creation of its task', () => {
  let twilio: FakeTwilio;
  beforeEach(async () => {
    twilio = await startFakeTwilio();
  });
  afterEach(() => twilio.close());

  const client = () =>
    createTwilio({
      accountSid: REQUIRED_ENV.TWILIO_ACCOUNT_SID,
      authToken: REQUIRED_ENV.TWILIO_AUTH_TOKEN,
      apiBaseUrl: twilio.url,
      maxConcurrency: 5,
      authConcurrency: 1,
    }).client;

  /** The ping's creation lands at Twilio, and is recorded done, when `effectDone` is asked. */
  const createdWhenAsked = () => {
    const asked: string[] = [];
    const effectDone = async (_conferenceSid: string, key: string) => {
      asked.push(key);
      twilio.tasks.set(PING, {
        sid: PING,
        attributes: JSON.stringify({ lifeline: { recoveryId: RECOVERY, kind: 'ping' } }),
        assignment_status: 'pending',
        priority: 100,
        workflow_sid: REQUIRED_ENV.RECOVERY_PING_WORKFLOW_SID,
        version: 0,
      });
      return true;
    };
    return { asked, effectDone };
  };

  it('asks whether the creation is over before it looks the task up, and cancels what it finds', async () => {
    const { asked, effectDone } = createdWhenAsked();
    const outcome = await execute(cancelPing, executorContext(client(), effectDone), {
      mayHaveRunBefore: false,
    });
    expect(asked).toEqual([PING_KEY]);
    expect(outcome.detail).toBe(`canceled ${PING}`);
    expect(twilio.tasks.get(PING)?.assignment_status).toBe('canceled');
  });

  it('retries while the creation is still in flight, without looking anything up', async () => {
    const ctx = executorContext(client(), async () => false);
    await expect(execute(cancelPing, ctx, { mayHaveRunBefore: false })).rejects.toThrow(
      'the task is still being created',
    );
    expect(twilio.calls).toEqual([]);
  });

  it('with the task known, cancels it without asking after its creation', async () => {
    const { asked, effectDone } = createdWhenAsked();
    await effectDone(CONFERENCE, PING_KEY);
    asked.length = 0;
    const known: Effect = { ...cancelPing, params: { ...cancelPing.params, taskSid: PING } };
    const outcome = await execute(known, executorContext(client(), effectDone), {
      mayHaveRunBefore: false,
    });
    expect(asked).toEqual([]);
    expect(outcome.detail).toBe(`canceled ${PING}`);
  });
});
