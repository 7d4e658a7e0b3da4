import type { FakeFlex, FakeTask } from 'plugin-lifeline/testing/flex-ui';
import { conference, createFakeFlex } from 'plugin-lifeline/testing/flex-ui';

/**
 * The page without a back end behind Flex (a look by hand): one call in the worker's list.
 * The first load has it live; a reload finds it wrapping, as Flex shows it after the page
 * (and with it the agent's call leg) went away. The Lifeline server is whatever `server` names.
 */
export function staticFlex(query: URLSearchParams, lifeline: Record<string, unknown>): FakeFlex {
  const workerSid = query.get('worker') ?? 'WK00000000000000000000000000000001';
  const taskSid = query.get('task') ?? 'WT00000000000000000000000000000001';
  const conferenceSid = query.get('conference') ?? 'CF00000000000000000000000000000001';
  const fake = createFakeFlex({ workerSid, lifeline });
  const reloaded = sessionStorage.getItem('lifeline-harness-call') !== null;
  sessionStorage.setItem('lifeline-harness-call', taskSid);
  const call: FakeTask = {
    taskSid,
    sid: 'WR00000000000000000000000000000001',
    status: reloaded ? 'wrapping' : 'accepted',
    taskChannelUniqueName: 'voice',
    workflowSid: 'WW00000000000000000000000000000001',
    attributes: { from: '+15550001111' },
    conference: conference(conferenceSid, [
      {
        participantType: 'customer',
        callSid: 'CA00000000000000000000000000000001',
        status: 'joined',
      },
      {
        participantType: 'worker',
        callSid: 'CA00000000000000000000000000000002',
        workerSid,
        status: reloaded ? 'left' : 'joined',
      },
    ]),
  };
  fake.addTask(call, { emit: false });
  return fake;
}
