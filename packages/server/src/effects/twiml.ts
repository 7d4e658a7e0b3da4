/** TwiML the effects send. Values are escaped: task attributes can hold any text. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Turns the live call into a TaskRouter task (Enqueue with a Task), as Flex voice tasks are.
 * `actionUrl` is where Twilio asks for the next step when the Enqueue ends: without it a
 * caller whose task is canceled (TTL, workflow timeout) is hung up.
 */
export function enqueueTwiml(
  workflowSid: string,
  priority: number,
  attributes: unknown,
  actionUrl: string,
): string {
  return (
    `<Response><Enqueue workflowSid="${escapeXml(workflowSid)}"` +
    ` action="${escapeXml(actionUrl)}" method="POST">` +
    `<Task priority="${priority}">${escapeXml(JSON.stringify(attributes))}</Task>` +
    `</Enqueue></Response>`
  );
}

/** Everything Lifeline hears about a conference: the words of statusCallbackEvent. */
const STATUS_EVENTS = 'start end join leave mute hold modify speaker announcement';

/**
 * Moves a live call into the named conference, keeping its label, endConferenceOnExit and
 * mute. The status callback is Lifeline's: whoever joins first creates the conference with
 * their settings, so Lifeline hears the new conference even when this party creates it.
 */
export function dialConferenceTwiml(
  conferenceName: string,
  label: string | null,
  endConferenceOnExit: boolean,
  options: { muted: boolean; statusCallbackUrl: string },
): string {
  const labelAttr = label === null ? '' : ` participantLabel="${escapeXml(label)}"`;
  return (
    `<Response><Dial><Conference${labelAttr} endConferenceOnExit="${endConferenceOnExit}"` +
    ` muted="${options.muted}" startConferenceOnEnter="true" beep="false"` +
    ` statusCallback="${escapeXml(options.statusCallbackUrl)}" statusCallbackMethod="POST"` +
    ` statusCallbackEvent="${STATUS_EVENTS}">${escapeXml(conferenceName)}</Conference>` +
    `</Dial></Response>`
  );
}

export function announcementTwiml(say: string | null, playUrl: string | null): string {
  const parts = [
    say === null ? '' : `<Say>${escapeXml(say)}</Say>`,
    playUrl === null ? '' : `<Play>${escapeXml(playUrl)}</Play>`,
  ];
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${parts.join('')}</Response>`;
}

/**
 * What a held customer hears: the announcement (a held participant hears its HoldUrl, not
 * the conference), then the hold audio looped until someone takes them off hold or moves them.
 */
export function holdTwiml(say: string | null, playUrl: string | null, musicUrl: string): string {
  const parts = [
    say === null ? '' : `<Say>${escapeXml(say)}</Say>`,
    playUrl === null ? '' : `<Play>${escapeXml(playUrl)}</Play>`,
    `<Play loop="0">${escapeXml(musicUrl)}</Play>`,
  ];
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${parts.join('')}</Response>`;
}
