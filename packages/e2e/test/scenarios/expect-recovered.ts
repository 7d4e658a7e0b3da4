import { expect } from 'vitest';
import type { ScenarioReport } from '../../src/scenarios/report.ts';
import type { Stack } from '../../src/stack/stack.ts';

/**
 * What scenario 1 promises, checked where the customer and Twilio can see it: the call never
 * ended, the customer heard the announcement (then hold audio) and is back with the same agent; the original
 * reservation is completed and the original task carries the Insights tag.
 */
export async function expectBackWithSameAgent(
  stack: Stack,
  report: ScenarioReport,
  agentName = 'Alice',
): Promise<void> {
  const story = report.customer.story().join('\n');
  expect(report.outcome, story).toBe('recovered');
  expect(report.customer.ended, story).toBe(false);
  const afterDrop = report.customer.segments.filter((s) => s.from >= report.disruptedAt);
  // The announcement reaches the customer from the conference, or as the start of Lifeline's
  // hold TwiML (/twiml/hold: the announcement, then looped audio) once the customer is held.
  expect(
    afterDrop.some(
      (s) =>
        s.hearing.kind === 'announcement' ||
        (s.hearing.kind === 'hold-music' && s.hearing.url.endsWith('/twiml/hold')),
    ),
    story,
  ).toBe(true);
  expect(report.customer.segments.at(-1)?.hearing, story).toEqual({
    kind: 'parties',
    parties: expect.arrayContaining([`agent ${agentName}`]) as unknown,
  });
  expect(report.agentCall?.agentName).toBe(agentName);
  expect(report.agentCall?.call.customerCallSid).toBe(report.customerCallSid);
  expect(report.experience.reconnectMs).not.toBeNull();

  const workspace = stack.twilio.taskrouter.v1.workspaces(stack.sim.options.workspaceSid);
  const reservation = await workspace
    .tasks(report.taskSid)
    .reservations(report.reservationSid)
    .fetch();
  expect(reservation.reservationStatus).toBe('completed');
  const original = await workspace.tasks(report.taskSid).fetch();
  const attributes = JSON.parse(original.attributes) as {
    conversations?: { followed_by?: string };
    disconnectedTime?: string;
  };
  expect(attributes.conversations?.followed_by).toBe('Reconnect Agent');
  expect(Date.parse(attributes.disconnectedTime ?? '')).toBeGreaterThan(0);
  const live = await workspace.tasks.list({ assignmentStatus: ['pending', 'reserved'] });
  expect(live.map((t) => t.sid)).toEqual([]);
}
