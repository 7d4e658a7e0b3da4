/**
 * The few Twilio REST requests Flex's own backend makes for an agent, sent to the simulator
 * as Twilio receives them (Basic auth, form bodies, Twilio's JSON back).
 */
export interface RestReservation {
  sid: string;
  reservation_status: string;
  task_sid: string;
}
export interface RestTask {
  sid: string;
  attributes: string;
  assignment_status: string;
  task_channel_unique_name: string | null;
  workflow_sid: string;
}
export interface RestConference {
  sid: string;
  status: string;
}
export interface RestParticipant {
  call_sid: string;
  label: string | null;
  end_conference_on_exit: boolean;
  status: string;
}
export interface RestCall {
  sid: string;
  status: string;
}

export interface TwilioAccount {
  url: string;
  accountSid: string;
  authToken: string;
  workspaceSid: string;
}

export function twilioRest(account: TwilioAccount) {
  const auth = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  const ws = `/v1/Workspaces/${account.workspaceSid}`;
  const api = `/2010-04-01/Accounts/${account.accountSid}`;

  async function send<T>(method: 'GET' | 'POST', path: string, fields: Record<string, string>) {
    const form = new URLSearchParams(fields).toString();
    const url = `${account.url}${path}${method === 'GET' && form !== '' ? `?${form}` : ''}`;
    const response = await fetch(url, {
      method,
      headers: {
        Authorization: auth,
        ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(method === 'POST' ? { body: form } : {}),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  return {
    workerReservations: async (workerSid: string) =>
      (
        await send<{ reservations: RestReservation[] }>(
          'GET',
          `${ws}/Workers/${workerSid}/Reservations`,
          {},
        )
      ).reservations,
    task: (taskSid: string) => send<RestTask>('GET', `${ws}/Tasks/${taskSid}`, {}),
    updateTask: (taskSid: string, fields: Record<string, string>) =>
      send<RestTask>('POST', `${ws}/Tasks/${taskSid}`, fields),
    updateReservation: (taskSid: string, reservationSid: string, fields: Record<string, string>) =>
      send<RestReservation>(
        'POST',
        `${ws}/Tasks/${taskSid}/Reservations/${reservationSid}`,
        fields,
      ),
    conferencesNamed: async (friendlyName: string) =>
      (
        await send<{ conferences: RestConference[] }>('GET', `${api}/Conferences.json`, {
          FriendlyName: friendlyName,
        })
      ).conferences,
    participants: async (conferenceSid: string) =>
      (
        await send<{ participants: RestParticipant[] }>(
          'GET',
          `${api}/Conferences/${conferenceSid}/Participants.json`,
          {},
        )
      ).participants,
    updateParticipant: (conferenceSid: string, callSid: string, fields: Record<string, string>) =>
      send<RestParticipant>(
        'POST',
        `${api}/Conferences/${conferenceSid}/Participants/${callSid}.json`,
        fields,
      ),
    liveCallsTo: async (to: string) =>
      (
        await send<{ calls: RestCall[] }>('GET', `${api}/Calls.json`, {
          To: to,
          Status: 'in-progress',
        })
      ).calls,
  };
}

export type TwilioRest = ReturnType<typeof twilioRest>;
