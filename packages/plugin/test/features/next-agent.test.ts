import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NOTICE_OTHER_AGENT,
  NOTICE_SAME_AGENT,
} from '../../src/features/next-agent/reservationCreated.ts';
import { startPlugin, voiceTask } from '../fixtures/plugin.ts';
import { OTHER_WORKER, RECONNECT_RESERVATION, RECONNECT_TASK, WORKER } from '../fixtures/sids.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 40);
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** A call routed to this agent after `workerSid` dropped 40 s ago (the server's attribute). */
const droppedCall = (workerSid: string, workerName = 'Bob Agent') =>
  voiceTask({
    taskSid: RECONNECT_TASK,
    sid: RECONNECT_RESERVATION,
    attributes: {
      disconnection: {
        workerSid,
        workerName,
        at: new Date(NOW - 40_000).toISOString(),
        conferenceSid: 'CFold',
        reservationSid: 'WRold',
        taskSid: 'WTold',
      },
    },
  });

describe('reservationCreated (next-agent notice)', () => {
  it('tells the next agent who dropped and how long ago, through a Flex notification', () => {
    const plugin = startPlugin();
    plugin.addTask(droppedCall(OTHER_WORKER));
    expect(plugin.notifications.shown).toEqual([
      {
        id: NOTICE_OTHER_AGENT,
        context: { workerName: 'Bob Agent', ago: '40 seconds ago' },
        text: 'This caller was talking to Bob Agent when their connection dropped 40 seconds ago. They are still on the line.',
      },
    ]);
  });

  it('tells the same agent it is their own caller coming back', () => {
    const plugin = startPlugin();
    plugin.addTask(droppedCall(WORKER, 'Alice Agent'));
    expect(plugin.notifications.shown.map((n) => [n.id, n.text])).toEqual([
      [
        NOTICE_SAME_AGENT,
        'This is the caller you were talking to when your connection dropped 40 seconds ago.',
      ],
    ]);
  });

  it('registers its texts as Flex strings, keeping a translation the account set', () => {
    const plugin = startPlugin({
      strings: { [NOTICE_OTHER_AGENT]: 'Llamada de {{workerName}}, cortada {{ago}}.' },
    });
    expect(plugin.manager.strings[NOTICE_SAME_AGENT]).toMatch(/your connection dropped/);
    plugin.addTask(droppedCall(OTHER_WORKER));
    expect(plugin.notifications.shown[0]?.text).toBe(
      'Llamada de Bob Agent, cortada 40 seconds ago.',
    );
  });

  it('says nothing for ordinary calls', () => {
    const plugin = startPlugin();
    plugin.addTask(voiceTask());
    expect(plugin.notifications.shown).toEqual([]);
  });
});
