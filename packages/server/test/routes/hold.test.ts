import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/context.ts';
import { Flow } from '../support/flow.ts';
import { CONF, CUSTOMER } from '../support/payloads.ts';

describe('no silence for the customer', () => {
  const h = useHarness('memory');

  it('keeps the customer in, then holds them with hold audio as soon as the agent drops', async () => {
    const flow = new Flow(() => [h.app], h.twilio);
    await flow.threePartyCall();
    await flow.agentDrops();
    await h.app.lifeline.runner.drain();
    const updates = h.twilio
      .mutations(`/Conferences/${CONF}/Participants/${CUSTOMER}.json`)
      .map((call) => call.body);
    // The flag first: Twilio does not apply it to a held participant.
    expect(updates).toEqual([
      { EndConferenceOnExit: 'false' },
      { Hold: 'true', HoldUrl: 'https://lifeline.test/twiml/hold', HoldMethod: 'GET' },
    ]);
  });

  it('serves the announcement followed by looped hold audio, configurable', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/twiml/hold' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/xml');
    expect(response.body).toMatch(
      /<Response><Say>Please hold\.[^<]*<\/Say><Play loop="0">http:\/\/com\.twilio\.music\.classical\.s3\.amazonaws\.com\/BusyStrings\.mp3<\/Play><\/Response>$/,
    );
    const custom = await h.newApp();
    custom.lifeline.config.holdMusicUrl = 'https://audio.example/queue.mp3';
    const again = await custom.inject({ method: 'GET', url: '/twiml/hold' });
    expect(again.body).toContain('<Play loop="0">https://audio.example/queue.mp3</Play>');
  });
});
