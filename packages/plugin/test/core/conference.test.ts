import { describe, expect, it } from 'vitest';
import type { TaskView } from '../../src/core/index.ts';
import {
  CONFERENCE_STATUS_EVENTS,
  findCallLegs,
  waitForCallLegs,
  withConferenceOptions,
} from '../../src/core/index.ts';
import { CONF, CUSTOMER_CALL, SERVER, WORKER, WORKER_CALL } from '../fixtures/sids.ts';

const joinedConference = {
  conferenceSid: CONF,
  liveParticipantCount: 2,
  participants: [
    { type: 'customer', callSid: CUSTOMER_CALL, workerSid: null, status: 'joined' },
    { type: 'worker', callSid: WORKER_CALL, workerSid: WORKER, status: 'joined' },
  ],
};

describe('conference callbacks', () => {
  it('subscribes with a comma-separated event list (the TaskRouter SDK validates a string)', () => {
    expect(CONFERENCE_STATUS_EVENTS).toBe('start,end,join,leave,modify');
    // What Flex's AcceptTask payload updater pre-fills for a new voice call.
    const payload: Record<string, unknown> = {
      conferenceOptions: { endConferenceOnExit: true, endConferenceOnCustomerExit: true },
    };
    withConferenceOptions(payload, SERVER);
    expect(payload['conferenceOptions']).toEqual({
      // The agent's leg joins unable to end the call: a reload right after accept is recovered.
      endConferenceOnExit: false,
      // The customer's stays as Flex set it (native parity).
      endConferenceOnCustomerExit: true,
      conferenceStatusCallback: `${SERVER}/webhooks/conference-status`,
      conferenceStatusCallbackEvent: 'start,end,join,leave,modify',
      conferenceStatusCallbackMethod: 'POST',
    });
  });
});

describe('call legs', () => {
  it('needs both the customer and this worker joined', () => {
    expect(findCallLegs(joinedConference, WORKER)).toEqual({
      conferenceSid: CONF,
      customerCallSid: CUSTOMER_CALL,
      workerCallSid: WORKER_CALL,
    });
    expect(findCallLegs(joinedConference, 'WKother')).toBeNull();
    expect(findCallLegs(null, WORKER)).toBeNull();
  });

  it('waits for Flex to fill in the conference, within the bound', async () => {
    let clock = 0;
    let reads = 0;
    const task = (conference: TaskView['conference']): TaskView => ({
      taskSid: 'WT1',
      reservationSid: 'WR1',
      status: 'accepted',
      isCall: true,
      workflowSid: 'WW1',
      attributes: {},
      conference,
    });
    const options = {
      timeoutMs: 1_000,
      intervalMs: 100,
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
    };
    const legs = await waitForCallLegs(
      () => task(++reads < 4 ? null : joinedConference),
      WORKER,
      options,
    );
    expect(legs?.workerCallSid).toBe(WORKER_CALL);
    expect(clock).toBe(300);

    clock = 0;
    await expect(waitForCallLegs(() => task(null), WORKER, options)).resolves.toBeNull();
    expect(clock).toBe(1_000);
  });
});
