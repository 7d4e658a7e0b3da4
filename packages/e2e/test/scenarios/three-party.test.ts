import { describe, expect, it } from 'vitest';
import { EXTERNAL_LABEL, threePartyScenario } from '../../src/scenarios/three-party.ts';
import { useStacks } from './stack.ts';

describe('scenario 5: a three-party call', () => {
  const stack = useStacks();

  it('brings the external party into the new conference with its label', async () => {
    const s = await stack();
    const report = await threePartyScenario(s);
    expect(report.outcome).toBe('recovered');
    expect(report.customer.ended).toBe(false);
    expect(report.externalAfter).toEqual({
      conferenceSid: report.agentCall?.call.conferenceSid,
      label: EXTERNAL_LABEL,
      status: 'connected',
    });
    expect(report.customer.segments.at(-1)?.hearing).toEqual({
      kind: 'parties',
      parties: ['agent Alice', 'external +15557654321'],
    });
    expect(s.sim.timeline(report.externalCallSid).ended).toBe(false);
    // The move: one Dial into the new conference, labelled.
    const moves = s.sim.requests
      .of('UpdateCall')
      .filter((r) => r.path.endsWith(`/Calls/${report.externalCallSid}.json`));
    expect(moves).toHaveLength(1);
    expect(String(moves[0]?.params['Twiml'])).toContain(`participantLabel="${EXTERNAL_LABEL}"`);
  });
});
