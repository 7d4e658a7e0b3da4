import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { parseTwiml, TwimlError } from '../src/twiml.ts';

describe('TwiML parsing', () => {
  it('reads <Dial><Conference> with its attributes, as twilio-node writes them', () => {
    const response = new twilio.twiml.VoiceResponse();
    response.dial().conference(
      {
        participantLabel: 'customer',
        endConferenceOnExit: true,
        startConferenceOnEnter: false,
        statusCallback: 'http://127.0.0.1/cb?a=1&b=2',
        statusCallbackEvent: ['start', 'leave'],
      },
      'room <1>',
    );
    const [verb] = parseTwiml(response.toString());
    expect(verb).toEqual({
      verb: 'Dial',
      conference: expect.objectContaining({
        name: 'room <1>',
        label: 'customer',
        endConferenceOnExit: true,
        startConferenceOnEnter: false,
        statusCallback: 'http://127.0.0.1/cb?a=1&b=2',
        statusCallbackEvent: ['start', 'leave'],
      }) as unknown,
    });
  });

  it('reads <Enqueue workflowSid><Task priority timeout>{json}</Task></Enqueue>', () => {
    const response = new twilio.twiml.VoiceResponse();
    response
      .enqueue({ workflowSid: 'WW' + '1'.repeat(32) })
      .task({ priority: 1000, timeout: 30 }, JSON.stringify({ say: 'a "quoted" <b>' }));
    const [verb] = parseTwiml(response.toString());
    expect(verb).toEqual({
      verb: 'Enqueue',
      enqueue: {
        queueName: null,
        workflowSid: 'WW' + '1'.repeat(32),
        waitUrl: null,
        action: null,
        method: 'POST',
        task: {
          attributes: JSON.stringify({ say: 'a "quoted" <b>' }),
          priority: 1000,
          timeout: 30,
        },
      },
    });
  });

  it('reads Say, Play, Pause and Hangup, and marks other verbs unsupported', () => {
    const verbs = parseTwiml(
      '<?xml version="1.0"?><Response><Say>Hi &amp; bye</Say><Play>http://x/a.mp3</Play><Pause length="2"/><Gather/><Hangup/></Response>',
    );
    expect(verbs).toEqual([
      { verb: 'Say', text: 'Hi & bye' },
      { verb: 'Play', url: 'http://x/a.mp3' },
      { verb: 'Pause', lengthS: 2 },
      { verb: 'Unsupported', name: 'Gather' },
      { verb: 'Hangup' },
    ]);
  });

  it('rejects documents that are not TwiML', () => {
    expect(() => parseTwiml('<Response><Dial></Response>')).toThrow(TwimlError);
    expect(() => parseTwiml('<Other/>')).toThrow(TwimlError);
    expect(() => parseTwiml('not xml')).toThrow(TwimlError);
  });
});
