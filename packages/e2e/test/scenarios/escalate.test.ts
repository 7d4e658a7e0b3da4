import { describe, expect, it } from 'vitest';
import { copy } from '@lifeline/machine';
import { escalateScenario } from '../../src/scenarios/escalate.ts';
import { useStacks } from './stack.ts';

describe('scenario 2: the agent never returns', () => {
  const stack = useStacks();

  it('lets the ping expire and routes the customer to another agent with raised priority', async () => {
    const s = await stack({ pingTimeoutS: 2 });
    const report = await escalateScenario(s);
    const story = report.customer.story().join('\n');

    expect(report.outcome, story).toBe('handledByAnotherAgent');
    expect(report.customer.ended, story).toBe(false);
    expect(report.customer.segments.at(-1)?.hearing, story).toEqual({
      kind: 'parties',
      parties: ['agent Bob'],
    });
    // The ping task's TTL (PING_TIMEOUT_S at the simulator) canceled it: TaskRouter's cancel,
    // not Lifeline's own later bound, moved the recovery on.
    const pingCancel = report.view.timeline.find(
      (e) => e.kind === 'event' && e.name === 'task.canceled' && e.state === 'escalated',
    );
    expect(pingCancel).toBeDefined();
    // Raised priority, any agent: no target worker, marked escalated.
    expect(report.bobTask?.priority).toBe(1000);
    const attributes = JSON.parse(report.bobTask?.attributes ?? '{}') as Record<string, unknown>;
    expect(attributes['escalated']).toBe(true);
    expect(attributes['targetWorkerSid']).toBeUndefined();
    // Alice's plugin, reloaded meanwhile, shows the escalated modal.
    expect(report.aliceView?.state).toBe('escalated');
    expect(report.aliceModalTitle).toBe(copy.escalated.modal.title);
  });
});
