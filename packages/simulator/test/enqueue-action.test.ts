import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { waitFor } from '../src/index.ts';
import type { Received } from '../src/testing/index.ts';
import { parseTwiml } from '../src/twiml.ts';
import { acceptWithConference, standardWorkspace, useHarness } from './support/sim.ts';
import { accountSid, authToken } from './support/ids.ts';

const h = useHarness();

const actionPath = '/enqueue-action';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const actionRequests = (): Received[] => h.receiver.received.filter((r) => r.path === actionPath);
const queueSidPattern = /^QU[0-9a-f]{32}$/;

/** The receiver answers the action URL with `twiml` (one document per request, the last repeated). */
function answerAction(...twiml: string[]): void {
  let served = 0;
  h.receiver.respond((r) => {
    if (r.path !== actionPath) return { status: 204 };
    const body = twiml[Math.min(served, twiml.length - 1)] ?? '<Response/>';
    served++;
    return { status: 200, body };
  });
}

/** The standard workspace with Alice offline: a customer who calls waits in the queue. */
function workspaceWithNobodyAvailable() {
  const setup = standardWorkspace(h.sim);
  h.sim.workspace.setActivity(setup.alice.sid, 'Offline');
  return setup;
}

function customerWithAction(workflowSid: string, method?: string) {
  return h.sim.calls.inbound({
    from: '+15551230001',
    workflowSid,
    action: {
      url: `${h.receiver.origin}${actionPath}?leg=customer`,
      ...(method === undefined ? {} : { method }),
    },
  });
}

/** What happened to the call, in order: its timeline without the changes of what it hears. */
function notes(callSid: string): string[] {
  const timeline = h.sim.timeline(callSid);
  const hearings = new Set(timeline.segments.map((s) => `${s.from} ${s.text}`));
  return timeline.entries.filter((e) => !hearings.has(`${e.at} ${e.text}`)).map((e) => e.text);
}

/** When the call's timeline first has an entry matching `text`. */
function noteAt(callSid: string, text: string | RegExp): number {
  const entry = h.sim
    .timeline(callSid)
    .entries.find((e) => (typeof text === 'string' ? e.text === text : text.test(e.text)));
  if (entry === undefined) throw new Error(`no timeline entry ${String(text)}`);
  return entry.at;
}

describe('<Enqueue action method> parsing', () => {
  it('reads action and method as twilio-node writes them; method defaults to POST', () => {
    const response = new twilio.twiml.VoiceResponse();
    response
      .enqueue({
        workflowSid: 'WW' + '1'.repeat(32),
        action: 'http://127.0.0.1/ended?a=1&b=2',
        method: 'GET',
      })
      .task({}, '{}');
    const [withAction] = parseTwiml(response.toString());
    expect(withAction).toMatchObject({
      verb: 'Enqueue',
      enqueue: { action: 'http://127.0.0.1/ended?a=1&b=2', method: 'GET' },
    });
    const [bare] = parseTwiml(
      `<Response><Enqueue workflowSid="WW${'1'.repeat(32)}"><Task>{}</Task></Enqueue></Response>`,
    );
    expect(bare).toMatchObject({ verb: 'Enqueue', enqueue: { action: null, method: 'POST' } });
    const [onlyAction] = parseTwiml(
      '<Response><Enqueue action="/next">support</Enqueue></Response>',
    );
    expect(onlyAction).toMatchObject({ enqueue: { action: '/next', method: 'POST' } });
  });
});

describe('<Enqueue action>: the request when the call leaves the queue', () => {
  it('asks with QueueResult=bridged when the agent conference ends with the customer live, then runs its answer', async () => {
    const setup = workspaceWithNobodyAvailable();
    answerAction('<Response><Say>Thanks for calling</Say></Response>');
    const customer = customerWithAction(setup.voiceWorkflowSid);
    // More than a second in the queue, then more than a second bridged: only the first is queue time.
    await sleep(1100);
    h.sim.workspace.setActivity(setup.alice.sid, 'Available');
    const call = await acceptWithConference(h, setup.alice.sid, customer.callSid);
    await sleep(1100);
    expect(actionRequests()).toEqual([]);
    await h.client.conferences(call.conferenceSid).update({ status: 'completed' });
    await waitFor(() => customer.record().status === 'completed', {
      description: 'the customer hung up after the answer ran',
    });

    const [request, ...more] = actionRequests();
    expect(more).toEqual([]);
    expect(request?.method).toBe('POST');
    expect(request?.signatureValid).toBe(true);
    const enteredAt = noteAt(customer.callSid, /^waits in queue for task /);
    const bridgedAt = noteAt(customer.callSid, 'left the queue: bridged to Alice');
    const endedAt = noteAt(customer.callSid, 'requested Enqueue action (QueueResult=bridged)');
    const queueTime = Math.floor((bridgedAt - enteredAt) / 1000);
    expect(queueTime).toBeGreaterThanOrEqual(1);
    expect(queueTime).toBeLessThan(Math.floor((endedAt - enteredAt) / 1000));
    expect(request?.form).toEqual({
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      CallSid: customer.callSid,
      CallStatus: 'in-progress',
      Called: '+15550100000',
      Caller: '+15551230001',
      Direction: 'inbound',
      From: '+15551230001',
      To: '+15550100000',
      QueueResult: 'bridged',
      QueueSid: expect.stringMatching(queueSidPattern) as unknown,
      QueueTime: String(queueTime),
    });
    const texts = notes(customer.callSid);
    const from = texts.indexOf('requested Enqueue action (QueueResult=bridged)');
    expect(texts.slice(from)).toEqual([
      'requested Enqueue action (QueueResult=bridged)',
      'heard say "Thanks for calling"',
      'TwiML ended: call hung up',
    ]);
  });

  it('asks with QueueResult=leave when the task is canceled, and an answered <Enqueue> queues the call again', async () => {
    const setup = workspaceWithNobodyAvailable();
    const action = `${h.receiver.origin}${actionPath}?leg=customer`;
    const requeue = new twilio.twiml.VoiceResponse();
    requeue
      .enqueue({ workflowSid: setup.voiceWorkflowSid, action })
      .task({ priority: 5 }, JSON.stringify({ requeued: true }));
    answerAction(requeue.toString(), '<Response><Hangup/></Response>');
    const customer = customerWithAction(setup.voiceWorkflowSid);
    const firstTask = customer.taskSid ?? '';
    await h.ws.tasks(firstTask).update({ assignmentStatus: 'canceled', reason: 'no agents' });

    const secondTask = await waitFor(() => {
      const place = customer.record().place;
      return place.kind === 'queue' && place.taskSid !== firstTask ? place.taskSid : null;
    });
    const [first] = actionRequests();
    expect(first?.form).toMatchObject({
      CallSid: customer.callSid,
      CallStatus: 'in-progress',
      QueueResult: 'leave',
      QueueTime: '0',
    });
    expect(first?.signatureValid).toBe(true);
    const task = await h.ws.tasks(secondTask).fetch();
    expect(task.assignmentStatus).toBe('pending');
    expect(task.priority).toBe(5);
    expect(JSON.parse(task.attributes)).toMatchObject({
      requeued: true,
      call_sid: customer.callSid,
    });

    // The second run has its own request, from the same queue; its answer hangs the call up.
    await h.ws.tasks(secondTask).update({ assignmentStatus: 'canceled', reason: 'TTL again' });
    await waitFor(() => customer.record().status === 'completed');
    const [, second, ...more] = actionRequests();
    expect(more).toEqual([]);
    expect(second?.form['QueueResult']).toBe('leave');
    expect(second?.form['QueueSid']).toMatch(queueSidPattern);
    expect(second?.form['QueueSid']).toBe(first?.form['QueueSid']);
    expect(customer.timeline().texts()).toContain('TwiML <Hangup>');
  });

  it('asks with QueueResult=hangup and CallStatus=completed when the caller hangs up in the queue; the answer is not run', async () => {
    const setup = workspaceWithNobodyAvailable();
    answerAction('<Response><Say>nobody hears this</Say></Response>');
    const customer = customerWithAction(setup.voiceWorkflowSid);
    await sleep(1100);
    customer.hangup();
    const request = await waitFor(() => actionRequests()[0]);
    const queuedFor =
      noteAt(customer.callSid, 'hung up') - noteAt(customer.callSid, /^waits in queue for task /);
    expect(queuedFor).toBeGreaterThanOrEqual(1000);
    expect(request.form).toMatchObject({
      CallSid: customer.callSid,
      CallStatus: 'completed',
      QueueResult: 'hangup',
      QueueTime: String(Math.floor(queuedFor / 1000)),
      QueueSid: expect.stringMatching(queueSidPattern) as unknown,
    });
    expect(request.signatureValid).toBe(true);
    await sleep(100);
    expect(actionRequests()).toHaveLength(1);
    const texts = notes(customer.callSid);
    expect(texts.slice(-2)).toEqual(['hung up', 'requested Enqueue action (QueueResult=hangup)']);
    expect(texts).not.toContain('heard say "nobody hears this"');
    expect((await h.ws.tasks(customer.taskSid ?? '').fetch()).reason).toBe('hangup');
  });

  it('asks with QueueResult=bridged and CallStatus=completed when the caller hangs up while bridged', async () => {
    const setup = standardWorkspace(h.sim);
    answerAction('<Response><Say>nobody hears this</Say></Response>');
    const customer = customerWithAction(setup.voiceWorkflowSid);
    await acceptWithConference(h, setup.alice.sid, customer.callSid);
    customer.hangup();
    const request = await waitFor(() => actionRequests()[0]);
    const queuedFor =
      noteAt(customer.callSid, 'left the queue: bridged to Alice') -
      noteAt(customer.callSid, /^waits in queue for task /);
    expect(request.form).toMatchObject({
      CallSid: customer.callSid,
      CallStatus: 'completed',
      QueueResult: 'bridged',
      QueueTime: String(Math.floor(queuedFor / 1000)),
    });
    expect(request.signatureValid).toBe(true);
    await sleep(100);
    expect(actionRequests()).toHaveLength(1);
    expect(customer.timeline().texts()).not.toContain('heard say "nobody hears this"');
  });

  it('makes no request when a queued or a bridged call is redirected', async () => {
    const setup = standardWorkspace(h.sim);
    h.sim.workspace.setActivity(setup.alice.sid, 'Offline');
    answerAction('<Response><Say>not asked</Say></Response>');
    const queued = customerWithAction(setup.voiceWorkflowSid);
    await h.client.calls(queued.callSid).update({ twiml: '<Response><Say>moved</Say></Response>' });
    await waitFor(() => queued.record().status === 'completed');
    expect(queued.timeline().texts()).toContain('heard say "moved"');

    h.sim.workspace.setActivity(setup.alice.sid, 'Available');
    const bridged = customerWithAction(setup.voiceWorkflowSid);
    await acceptWithConference(h, setup.alice.sid, bridged.callSid);
    await h.client
      .calls(bridged.callSid)
      .update({ twiml: '<Response><Say>moved</Say></Response>' });
    await waitFor(() => bridged.record().status === 'completed');
    await sleep(100);
    expect(actionRequests()).toEqual([]);
  });

  it('without an action, goes on to the next verb as before', async () => {
    const setup = workspaceWithNobodyAvailable();
    answerAction('<Response><Say>not asked</Say></Response>');
    const call = await h.client.calls.create({
      from: '+15550000000',
      to: '+15550000007',
      twiml:
        `<Response><Enqueue workflowSid="${setup.voiceWorkflowSid}"><Task>{}</Task></Enqueue>` +
        '<Say>after the queue</Say></Response>',
    });
    const taskSid = await waitFor(() => {
      const place = h.sim.calls.get(call.sid).place;
      return place.kind === 'queue' ? place.taskSid : null;
    });
    await h.ws.tasks(taskSid).update({ assignmentStatus: 'canceled' });
    await waitFor(() => h.sim.calls.get(call.sid).status === 'completed');
    expect(notes(call.sid).slice(-3)).toEqual([
      'left the queue (task canceled: Task canceled)',
      'heard say "after the queue"',
      'TwiML ended: call hung up',
    ]);
    expect(actionRequests()).toEqual([]);
  });

  it('signs the request so that twilio-node validateRequest accepts it, for POST and for GET', async () => {
    const setup = workspaceWithNobodyAvailable();
    answerAction('<Response><Hangup/></Response>');
    const posted = customerWithAction(setup.voiceWorkflowSid);
    const got = customerWithAction(setup.voiceWorkflowSid, 'GET');
    await h.ws.tasks(posted.taskSid ?? '').update({ assignmentStatus: 'canceled' });
    await h.ws.tasks(got.taskSid ?? '').update({ assignmentStatus: 'canceled' });
    const [post, get] = await waitFor(() => {
      const all = actionRequests();
      const byCall = (sid: string) =>
        all.find(
          (r) =>
            (r.method === 'GET'
              ? new URL(r.url).searchParams.get('CallSid')
              : r.form['CallSid']) === sid,
        );
      const p = byCall(posted.callSid);
      const g = byCall(got.callSid);
      return p !== undefined && g !== undefined ? ([p, g] as const) : null;
    });
    const signature = (r: Received) => String(r.headers['x-twilio-signature']);

    expect(post.method).toBe('POST');
    expect(post.form['QueueResult']).toBe('leave');
    expect(twilio.validateRequest(authToken, signature(post), post.url, post.form)).toBe(true);
    // The signature covers the extra fields: changing one breaks it.
    expect(
      twilio.validateRequest(authToken, signature(post), post.url, {
        ...post.form,
        QueueTime: '9',
      }),
    ).toBe(false);

    expect(get.method).toBe('GET');
    const query = new URL(get.url).searchParams;
    expect(query.get('leg')).toBe('customer');
    expect(query.get('QueueResult')).toBe('leave');
    expect(query.get('QueueSid')).toMatch(queueSidPattern);
    expect(twilio.validateRequest(authToken, signature(get), get.url, {})).toBe(true);
  });

  it('hangs the call up when the action cannot be fetched or answers invalid TwiML', async () => {
    const setup = workspaceWithNobodyAvailable();
    h.receiver.respond((r) => {
      if (r.path !== actionPath) return { status: 204 };
      const broken = r.form['CallSid'] === failing.callSid;
      return broken ? { status: 500, body: 'oops' } : { status: 200, body: '<Response><Say>' };
    });
    const failing = customerWithAction(setup.voiceWorkflowSid);
    const invalid = customerWithAction(setup.voiceWorkflowSid);
    await h.ws.tasks(failing.taskSid ?? '').update({ assignmentStatus: 'canceled' });
    await h.ws.tasks(invalid.taskSid ?? '').update({ assignmentStatus: 'canceled' });
    await waitFor(
      () => failing.record().status === 'completed' && invalid.record().status === 'completed',
    );
    const url = `${h.receiver.origin}${actionPath}?leg=customer`;
    expect(notes(failing.callSid).slice(-3)).toEqual([
      'requested Enqueue action (QueueResult=leave)',
      `could not fetch TwiML from ${url}: HTTP 500`,
      'TwiML ended: call hung up',
    ]);
    expect(notes(invalid.callSid).slice(-3)).toEqual([
      'requested Enqueue action (QueueResult=leave)',
      expect.stringMatching(new RegExp(`^TwiML from ${url.replace(/[?.]/g, '\\$&')} is invalid: `)),
      'TwiML ended: call hung up',
    ]);
  });

  it('keeps the call live and idle while the request is out, and ignores the answer if it hangs up meanwhile', async () => {
    const setup = workspaceWithNobodyAvailable();
    h.receiver.respond((r) =>
      r.path === actionPath
        ? { status: 200, delayMs: 300, body: '<Response><Say>too late</Say></Response>' }
        : { status: 204 },
    );
    const customer = customerWithAction(setup.voiceWorkflowSid);
    await h.ws.tasks(customer.taskSid ?? '').update({ assignmentStatus: 'canceled' });
    await waitFor(() => actionRequests().length === 1);
    await sleep(100);
    expect(customer.record().status).toBe('in-progress');
    expect(customer.record().place.kind).toBe('idle');
    customer.hangup();
    await waitFor(() =>
      customer.timeline().has('ignored the Enqueue action answer: the call had ended'),
    );
    expect(actionRequests()).toHaveLength(1);
    expect(customer.timeline().texts()).not.toContain('heard say "too late"');
  });
});
