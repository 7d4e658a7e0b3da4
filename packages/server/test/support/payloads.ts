import type { JsonObject } from '@lifeline/machine';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL } from './app.ts';
import { bodyHash, signBody, signForm } from './sign.ts';

const hex = (n: number) => n.toString(16).padStart(32, '0');
export const sid = (prefix: string, n: number) => `${prefix}${hex(n)}`;

export const CONF = sid('CF', 1);
export const TASK = sid('WT', 1);
export const WORKFLOW = sid('WW', 1);
export const CUSTOMER = sid('CA', 1);
export const AGENT_CALL = sid('CA', 2);
export const EXTERNAL = sid('CA', 4);
export const WORKER = sid('WK', 1);
export const RESERVATION = sid('WR', 1);
export const AGENT_TOKEN = 'agent-token-1';
export const ADMIN_TOKEN = 'admin-token-1';

export function registration(overrides: Partial<Record<string, unknown>> = {}) {
  return {
    taskSid: TASK,
    workflowSid: WORKFLOW,
    taskAttributes: { from: '+15550001111', conversations: { conversation_id: TASK } },
    customerCallSid: CUSTOMER,
    workerSid: WORKER,
    reservationSid: RESERVATION,
    workerCallSid: AGENT_CALL,
    workerName: 'Alice',
    ...overrides,
  };
}

let seq = 0;
/** A conference status callback as Twilio sends it, with its signature. */
export function conferenceCallback(
  event: string,
  fields: Record<string, string> = {},
  conferenceSid = CONF,
): { payload: string; headers: Record<string, string>; params: Record<string, string> } {
  seq += 1;
  const params: Record<string, string> = {
    ConferenceSid: conferenceSid,
    FriendlyName: TASK,
    AccountSid: ACCOUNT_SID,
    SequenceNumber: String(seq),
    Timestamp: new Date().toUTCString(),
    StatusCallbackEvent: event,
    ...fields,
  };
  const url = `${PUBLIC_BASE_URL}/webhooks/conference-status`;
  return {
    params,
    payload: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signForm(AUTH_TOKEN, url, params),
    },
  };
}

export function participantFields(callSid: string, extra: Record<string, string> = {}) {
  return {
    CallSid: callSid,
    Muted: 'false',
    Hold: 'false',
    Coaching: 'false',
    EndConferenceOnExit: 'false',
    StartConferenceOnEnter: 'true',
    ...extra,
  };
}

let eventCounter = 0;
export function cloudEvent(type: string, payload: JsonObject, id?: string): JsonObject {
  eventCounter += 1;
  return {
    specversion: '1.0',
    type: `com.twilio.taskrouter.${type}`,
    source: '/v1/Workspaces',
    id: id ?? `EV${hex(eventCounter)}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: 'https://events-schemas.twilio.com/TaskRouter.WDSEvent/1',
    data: { payload: { timestamp: new Date().toISOString(), ...payload } },
  };
}

/** An Event Streams delivery: the raw body and the signed URL with bodySHA256. */
export function eventStreamsDelivery(body: unknown) {
  const payload = JSON.stringify(body);
  const path = `/webhooks/taskrouter-events?bodySHA256=${bodyHash(payload)}`;
  return {
    url: path,
    payload,
    headers: {
      'content-type': 'application/json',
      'x-twilio-signature': signBody(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`),
    },
  };
}
