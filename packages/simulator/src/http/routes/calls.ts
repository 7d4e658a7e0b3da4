import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.ts';
import type { Verb } from '../../twiml.ts';
import { parseTwiml, TwimlError } from '../../twiml.ts';
import type { CallRecord } from '../../world/records.ts';
import { fetchTwiml } from '../../world/twiml-fetch.ts';
import type { World } from '../../world/world.ts';
import { page2010 } from '../page.ts';
import { callback, int, str } from '../params.ts';
import { callJson } from '../representations/voice.ts';
import type { Deps } from '../serve.ts';
import { serve } from '../serve.ts';

function twimlOr400(source: string): Verb[] {
  try {
    return parseTwiml(source);
  } catch (error) {
    // Twilio answers invalid TwiML in the Twiml parameter with a 400 (21220 is for dead calls).
    if (error instanceof TwimlError)
      throw apiErrors.invalid(`Twiml is not valid TwiML: ${error.message}`);
    throw error;
  }
}

function callOr404(world: World, sid: string | undefined, urlPath: string): CallRecord {
  const call = sid === undefined ? undefined : world.calls.get(sid);
  if (call === undefined) throw apiErrors.notFound(urlPath);
  return call;
}

export function callRoutes(app: FastifyInstance, deps: Deps): void {
  const { world, options } = deps;

  serve(app, deps, 'ListCall', ({ query, urlPath }) => {
    const to = str(query, 'To');
    const from = str(query, 'From');
    const status = str(query, 'Status');
    const parent = str(query, 'ParentCallSid');
    const calls = world.calls
      .all()
      .filter((c) => to === undefined || c.to === to)
      .filter((c) => from === undefined || c.from === from)
      .filter((c) => status === undefined || c.status === status)
      .filter((c) => parent === undefined || c.parentCallSid === parent)
      .sort((a, b) => b.dateCreated - a.dateCreated)
      .map((c) => callJson(options.accountSid, c));
    return { body: page2010('calls', calls, urlPath, query) };
  });

  serve(app, deps, 'FetchCall', ({ path, urlPath }) => ({
    body: callJson(options.accountSid, callOr404(world, path['Sid'], urlPath)),
  }));

  serve(app, deps, 'UpdateCall', ({ path, fields, urlPath }) => {
    const call = callOr404(world, path['Sid'], urlPath);
    if (!world.calls.isLive(call)) throw apiErrors.callNotInProgress();
    const status = str(fields, 'Status');
    const twiml = str(fields, 'Twiml');
    const url = str(fields, 'Url');
    if (status !== undefined && status !== 'completed' && status !== 'canceled') {
      throw apiErrors.invalid(`Status ${status} is not valid`);
    }
    if (status === 'completed') {
      world.calls.hangup(call, 'api-hangup');
    } else if (status === 'canceled') {
      // Canceling applies to calls not yet answered; an answered call is left as it is.
      if (call.status === 'queued' || call.status === 'ringing') world.calls.fail(call, 'canceled');
    } else if (twiml !== undefined) {
      world.calls.redirect(call, twimlOr400(twiml));
    } else if (url !== undefined) {
      const method = str(fields, 'Method') ?? 'POST';
      void fetchTwiml(world, call, url, method).then((verbs) => {
        if (verbs !== null && world.calls.isLive(call)) world.calls.redirect(call, verbs);
      });
    }
    return { body: callJson(options.accountSid, call) };
  });

  serve(app, deps, 'CreateCall', ({ fields }) => {
    const twiml = str(fields, 'Twiml');
    const url = str(fields, 'Url');
    if (twiml === undefined && url === undefined) {
      throw apiErrors.invalid('One of Url, Twiml or ApplicationSid is required');
    }
    const program = twiml === undefined ? null : twimlOr400(twiml);
    const to = str(fields, 'To') ?? '';
    const call = world.calls.create({
      from: str(fields, 'From') ?? '',
      to,
      direction: 'outbound-api',
      party: { kind: 'external' },
      statusCallback: callback(fields, 'StatusCallback'),
    });
    const behaviour = world.numbers.get(to) ?? { answer: 'answer' };
    const ringMs = behaviour.ringMs ?? world.draw('ring', options.timing.ringMs);
    const timeoutMs = world.scaledMs(int(fields, 'Timeout') ?? 60);
    deps.clock.after(0, () => {
      if (world.calls.isLive(call)) world.calls.ringing(call);
    });
    const unanswered = behaviour.answer === 'no-answer' || ringMs > timeoutMs;
    deps.clock.after(unanswered ? timeoutMs : ringMs, () => {
      if (!world.calls.isLive(call)) return;
      if (unanswered || behaviour.answer !== 'answer') {
        world.calls.fail(
          call,
          unanswered ? 'no-answer' : behaviour.answer === 'busy' ? 'busy' : 'failed',
        );
        return;
      }
      world.calls.answer(call);
      if (program !== null) {
        world.calls.run(call, program);
        return;
      }
      void fetchTwiml(world, call, url ?? '', str(fields, 'Method') ?? 'POST').then((verbs) => {
        if (world.calls.isLive(call)) world.calls.run(call, verbs ?? []);
      });
    });
    return { body: callJson(options.accountSid, call) };
  });
}
