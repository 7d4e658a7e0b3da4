import { describe, expect, it } from 'vitest';
import { persist, start, step } from '@lifeline/machine';
import { waitFor } from '@lifeline/simulator';
import { standardWorkspace, useHarness } from './harness.ts';

/**
 * The simulated agents run the plugin's own core (`plugin-lifeline/core`); these check the
 * parts of it the older stand-in did not have. The receiver plays Lifeline's server.
 */
const h = useHarness();

/** A recovery snapshot in `pinging`, walked through the machine as the server persists it. */
function pingingReport(conferenceSid: string, workerSid: string, version: number) {
  let s = start({ conferenceSid }).snapshot;
  const sid = (prefix: string) => `${prefix}${'1'.repeat(32)}`;
  s = step(s, {
    type: 'agent.registered',
    at: 1,
    taskSid: sid('WT'),
    workflowSid: sid('WW'),
    taskAttributes: {},
    customerCallSid: sid('CA'),
    workerSid,
    reservationSid: sid('WR'),
    workerCallSid: `CA${'2'.repeat(32)}`,
    workerName: 'Alice',
  }).snapshot;
  s = step(s, { type: 'agent.pageUnloaded', at: 2, workerSid }).snapshot;
  const snapshot: unknown = JSON.parse(JSON.stringify(persist(s)));
  return { conferenceSid, version, state: 'pinging', final: false, snapshot };
}

describe('simulated Flex agents run the plugin core', () => {
  it('tells the server of a COLD transfer only: a WARM one keeps the agent in the call', async () => {
    const setup = standardWorkspace(h.sim);
    const alice = h.agents.add({ workerSid: setup.alice.sid });
    h.sim.calls.inbound({ from: '+15551230001', workflowSid: setup.voiceWorkflowSid });
    await waitFor(() => alice.currentCall?.registered);
    await alice.transfer('WARM');
    expect(alice.currentCall).not.toBeNull();
    expect(h.receiver.received.some((r) => r.path.endsWith('/transfer'))).toBe(false);
    expect(h.agents.server.calls.map((c) => `${c.method} ${c.path}`)).toContain(
      `POST /api/v1/conferences/${alice.currentCall?.conferenceSid ?? ''}/agents`,
    );
  });

  it('after a reload, follows the recovery the server reports, with the new page token', async () => {
    const setup = standardWorkspace(h.sim);
    const conferenceSid = `CF${'3'.repeat(32)}`;
    const alice = h.agents.add({ workerSid: setup.alice.sid });
    const report = pingingReport(conferenceSid, alice.workerSid, 4);
    h.receiver.respond((received) => {
      if (received.path === `/api/v1/workers/${alice.workerSid}/recovery`)
        return { status: 200, body: JSON.stringify(report) };
      if (received.path === `/api/v1/conferences/${conferenceSid}/stream`)
        return { status: 200, body: `: hello\n\ndata: ${JSON.stringify(report)}\n\n` };
      return { status: 204 };
    });
    const oldToken = alice.token;
    alice.refresh({ comebackAfterMs: 20 });
    const view = await waitFor(() => alice.recovery);
    expect(view.state).toBe('pinging');
    expect(view.modal?.title).toBe('Checking that you are back');
    expect(view.modal?.blocking).toBe(true);
    // The first page asked too when it loaded (nothing held); the network may deliver that
    // request after the new page's, so look for the new page's, not the last one.
    const asked = h.receiver.received.filter((r) => r.path.endsWith('/recovery'));
    expect(asked.map((r) => r.headers['authorization'])).toContain(`Bearer ${alice.token}`);
    expect(alice.token).not.toBe(oldToken);
    // The new page's event stream: EventSource sends no headers, so the token is in the query.
    await waitFor(() =>
      h.receiver.received.some(
        (r) =>
          r.path === `/api/v1/conferences/${conferenceSid}/stream` &&
          new URL(r.url).searchParams.get('token') === alice.token,
      ),
    );
  });
});
