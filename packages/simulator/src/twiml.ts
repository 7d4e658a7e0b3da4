import type { XmlElement } from './xml.ts';
import { parseXml, textOf, XmlError } from './xml.ts';

/** The TwiML verbs the simulator runs on a call. Others are recorded and skipped. */
export type Verb =
  | { verb: 'Say'; text: string }
  | { verb: 'Play'; url: string }
  | { verb: 'Pause'; lengthS: number }
  | { verb: 'Hangup' }
  | { verb: 'Dial'; conference: ConferenceNoun }
  | { verb: 'Enqueue'; enqueue: EnqueueVerb }
  | { verb: 'Unsupported'; name: string };

export interface ConferenceNoun {
  name: string;
  label: string | null;
  endConferenceOnExit: boolean;
  startConferenceOnEnter: boolean;
  muted: boolean;
  beep: string | null;
  coach: string | null;
  waitUrl: string | null;
  statusCallback: string | null;
  statusCallbackEvent: string[];
  statusCallbackMethod: string | null;
}

export interface EnqueueVerb {
  queueName: string | null;
  workflowSid: string | null;
  waitUrl: string | null;
  task: { attributes: string; priority: number | null; timeout: number | null } | null;
  /**
   * Requested when the call leaves the queue; null: the call goes on to its next verb.
   * https://www.twilio.com/docs/voice/twiml/enqueue (attribute `action`).
   */
  action: string | null;
  /** How `action` is requested: GET or POST (the default). */
  method: string;
}

export class TwimlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwimlError';
  }
}

const bool = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined ? fallback : value.toLowerCase() === 'true';

const int = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
};

/** statusCallbackEvent is a space-separated list in TwiML; commas are tolerated too. */
export function eventWords(value: string | string[] | undefined | null): string[] {
  if (value === undefined || value === null) return [];
  const all = Array.isArray(value) ? value : [value];
  return all.flatMap((one) => one.split(/[\s,]+/)).filter((word) => word !== '');
}

function elements(node: XmlElement): XmlElement[] {
  return node.children.filter((child): child is XmlElement => typeof child !== 'string');
}

function dial(node: XmlElement): Verb {
  const conference = elements(node).find((child) => child.name === 'Conference');
  if (conference === undefined) return { verb: 'Unsupported', name: 'Dial (without Conference)' };
  const a = conference.attributes;
  return {
    verb: 'Dial',
    conference: {
      name: textOf(conference).trim(),
      // TwiML documents `participantLabel`; `label` is accepted as written by hand.
      label: a['participantLabel'] ?? a['label'] ?? null,
      endConferenceOnExit: bool(a['endConferenceOnExit'], false),
      startConferenceOnEnter: bool(a['startConferenceOnEnter'], true),
      muted: bool(a['muted'], false),
      beep: a['beep'] ?? null,
      coach: a['coach'] ?? null,
      waitUrl: a['waitUrl'] ?? null,
      statusCallback: a['statusCallback'] ?? null,
      statusCallbackEvent: eventWords(a['statusCallbackEvent']),
      statusCallbackMethod: a['statusCallbackMethod'] ?? null,
    },
  };
}

function enqueue(node: XmlElement): Verb {
  const task = elements(node).find((child) => child.name === 'Task');
  const a = node.attributes;
  const name = textOf(node).trim();
  return {
    verb: 'Enqueue',
    enqueue: {
      queueName: task === undefined && name !== '' ? name : null,
      workflowSid: a['workflowSid'] ?? null,
      waitUrl: a['waitUrl'] ?? null,
      // An empty action is no action: the call goes on to its next verb.
      action: a['action']?.trim() || null,
      method: (a['method'] ?? 'POST').toUpperCase(),
      task:
        task === undefined
          ? null
          : {
              attributes: textOf(task).trim(),
              priority: int(task.attributes['priority']),
              timeout: int(task.attributes['timeout']),
            },
    },
  };
}

function verbOf(node: XmlElement): Verb {
  switch (node.name) {
    case 'Say':
      return { verb: 'Say', text: textOf(node).trim() };
    case 'Play':
      return { verb: 'Play', url: textOf(node).trim() };
    case 'Pause':
      return { verb: 'Pause', lengthS: int(node.attributes['length']) ?? 1 };
    case 'Hangup':
      return { verb: 'Hangup' };
    case 'Dial':
      return dial(node);
    case 'Enqueue':
      return enqueue(node);
    default:
      return { verb: 'Unsupported', name: node.name };
  }
}

/** Parses a TwiML document into the verbs to run, in order. */
export function parseTwiml(source: string): Verb[] {
  let root: XmlElement;
  try {
    root = parseXml(source);
  } catch (error) {
    throw new TwimlError(error instanceof XmlError ? error.message : String(error));
  }
  if (root.name !== 'Response')
    throw new TwimlError(`root element is <${root.name}>, not <Response>`);
  return elements(root).map(verbOf);
}
