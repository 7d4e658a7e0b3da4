import { describe, expect, it } from 'vitest';
import { SERVER } from '../fixtures/sids.ts';
import { startPlugin, voiceTask } from '../fixtures/plugin.ts';

describe('beforeAcceptTask (conference-callbacks)', () => {
  it("adds the server's conference callbacks to the options Flex pre-filled, and keeps the agent's leg from ending the call", async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask(), { emit: false });
    const payload = { sid: task.sid, conferenceOptions: { beep: false } };
    await plugin.flex.Actions.invokeAction('AcceptTask', payload);
    const invocation = plugin.flex.Actions.invocations.find((i) => i.name === 'AcceptTask');
    expect(invocation?.payload['conferenceOptions']).toEqual({
      beep: false,
      // Flex's updateAcceptTaskPayload pre-fills true before any listener; the plugin turns
      // the agent's off (a reload right after accept must not end the call) and keeps the rest.
      endConferenceOnExit: false,
      endConferenceOnCustomerExit: true,
      conferenceRecord: false,
      conferenceStatusCallback: `${SERVER}/webhooks/conference-status`,
      conferenceStatusCallbackEvent: 'start,end,join,leave,modify',
      conferenceStatusCallbackMethod: 'POST',
    });
  });

  it('leaves tasks that are not calls alone', async () => {
    const plugin = startPlugin();
    const task = plugin.addTask(voiceTask({ taskChannelUniqueName: 'chat' }), { emit: false });
    await plugin.flex.Actions.invokeAction('AcceptTask', { sid: task.sid });
    const invocation = plugin.flex.Actions.invocations.find((i) => i.name === 'AcceptTask');
    expect(invocation?.payload['conferenceOptions']).not.toHaveProperty('conferenceStatusCallback');
  });
});
