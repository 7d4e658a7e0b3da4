import { describe, expect, it } from 'vitest';
import type { TaskView } from '../../src/core/index.ts';
import { shouldAutoAccept } from '../../src/core/index.ts';
import { WORKER, OTHER_WORKER } from '../fixtures/sids.ts';

const task = (attributes: TaskView['attributes'], status = 'pending'): TaskView => ({
  taskSid: 'WT1',
  reservationSid: 'WR1',
  status,
  isCall: false,
  workflowSid: 'WW1',
  attributes,
  conference: null,
});
const on = { autoAcceptPing: true, autoAcceptReconnect: true };

describe('shouldAutoAccept', () => {
  const ping = { name: 'Recovery Ping', disconnectedWorkerSid: WORKER };
  const reconnect = { isReconnect: true, targetWorkerSid: WORKER };

  it("accepts this worker's Recovery Ping and reconnect task", () => {
    expect(shouldAutoAccept(task(ping), WORKER, on)).toBe('ping');
    expect(shouldAutoAccept(task(reconnect), WORKER, on)).toBe('reconnect');
  });

  it("leaves other workers' tasks, ordinary tasks and non-pending reservations alone", () => {
    expect(shouldAutoAccept(task(ping), OTHER_WORKER, on)).toBeNull();
    expect(shouldAutoAccept(task({ isReconnect: true, escalated: true }), WORKER, on)).toBeNull();
    expect(shouldAutoAccept(task({ name: 'Sales call' }), WORKER, on)).toBeNull();
    expect(shouldAutoAccept(task(ping, 'accepted'), WORKER, on)).toBeNull();
  });

  it('can be switched off per kind', () => {
    const off = { autoAcceptPing: false, autoAcceptReconnect: false };
    expect(shouldAutoAccept(task(ping), WORKER, off)).toBeNull();
    expect(shouldAutoAccept(task(reconnect), WORKER, off)).toBeNull();
  });
});
