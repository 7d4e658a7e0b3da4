import { describe, expect, it } from 'vitest';
import { specOperations, specResources } from '../src/index.ts';
import { answeredCall, harness, standardWorkspace, useHarness } from './support/sim.ts';
import { accountSid, authToken, workspaceSid } from './support/ids.ts';

const h = useHarness();

const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

async function getJson(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(h.sim.url + path, { headers: { Authorization: auth } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

function expectShape(json: Record<string, unknown>, resource: string): void {
  const spec = specResources[resource];
  expect(spec, resource).toBeDefined();
  expect(Object.keys(json).sort()).toEqual([...(spec?.fields ?? [])].sort());
  for (const [field, values] of Object.entries(spec?.enums ?? {})) {
    const value = json[field];
    if (value !== null) expect(values, `${resource}.${field}`).toContain(value);
  }
}

describe('the derived OpenAPI description', () => {
  it('lists only operations the simulator serves, and the simulator serves only those', () => {
    expect([...h.sim.served].sort()).toEqual(specOperations.map((op) => op.operationId).sort());
    for (const op of specOperations) {
      expect(
        op.path.startsWith('/2010-04-01/Accounts/{AccountSid}/') ||
          op.path.startsWith('/v1/Workspaces/{WorkspaceSid}/'),
      ).toBe(true);
    }
  });

  it('answers every resource with exactly the fields the spec defines, enums within their values', async () => {
    const { setup, customer, call, conferenceSid } = await answeredCall(h);
    const api = `/2010-04-01/Accounts/${accountSid}`;
    const tr = `/v1/Workspaces/${workspaceSid}`;
    const taskSid = customer.taskSid ?? '';

    expectShape(
      await getJson(`${api}/Conferences/${conferenceSid}.json`),
      'api.v2010.account.conference',
    );
    expectShape(
      await getJson(`${api}/Conferences/${conferenceSid}/Participants/${customer.callSid}.json`),
      'api.v2010.account.conference.participant',
    );
    expectShape(await getJson(`${api}/Calls/${customer.callSid}.json`), 'api.v2010.account.call');
    expectShape(await getJson(`${tr}/Tasks/${taskSid}`), 'taskrouter.v1.workspace.task');
    expectShape(
      await getJson(`${tr}/Tasks/${taskSid}/Reservations/${call.reservationSid}`),
      'taskrouter.v1.workspace.task.task_reservation',
    );
    expectShape(
      await getJson(`${tr}/Workers/${setup.alice.sid}/Reservations/${call.reservationSid}`),
      'taskrouter.v1.workspace.worker.worker_reservation',
    );
    expectShape(
      await getJson(`${tr}/Workers/${setup.alice.sid}`),
      'taskrouter.v1.workspace.worker',
    );
    expectShape(
      await getJson(`${tr}/Workflows/${setup.voiceWorkflowSid}`),
      'taskrouter.v1.workspace.workflow',
    );
    expectShape(
      await getJson(`${tr}/TaskQueues/${setup.queueSid}`),
      'taskrouter.v1.workspace.task_queue',
    );
  });

  it('answers list operations with the spec’s list key and page fields', async () => {
    standardWorkspace(h.sim);
    for (const op of specOperations.filter(
      (o) => o.listKey !== null && !o.path.includes('{Sid}'),
    )) {
      if (op.pathParams.some((p) => p !== 'AccountSid' && p !== 'WorkspaceSid')) continue;
      const path = op.path
        .replace('{AccountSid}', accountSid)
        .replace('{WorkspaceSid}', workspaceSid);
      const json = await getJson(path);
      const expected = [op.listKey ?? '', ...op.listMetaKeys].sort();
      expect(Object.keys(json).sort(), op.operationId).toEqual(expected);
      expect(Array.isArray(json[op.listKey ?? '']), op.operationId).toBe(true);
    }
  });

  it('sees only parameters the operations define in what the twilio client sends', async () => {
    const setup = standardWorkspace(h.sim);
    const task = await h.ws.tasks.create({
      workflowSid: setup.voiceWorkflowSid,
      attributes: '{}',
      priority: 5,
      timeout: 60,
      taskChannel: 'voice',
    });
    await h.ws.tasks(task.sid).update({ priority: 6, reason: 'r' });
    await h.client.calls.list({ status: 'in-progress', pageSize: 20 });
    expect(h.sim.requests.withUnknownParams()).toEqual([]);
  });

  it('in strict mode, rejects a parameter the operation does not define', async () => {
    const strict = await harness({ strictParams: true });
    try {
      const response = await fetch(
        `${strict.sim.url}/2010-04-01/Accounts/${accountSid}/Calls.json?Bogus=1`,
        {
          headers: { Authorization: auth },
        },
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 20001, status: 400 });
      expect(strict.sim.requests.withUnknownParams()[0]?.unknownParams).toEqual(['Bogus']);
    } finally {
      await strict.close();
    }
  });
});
