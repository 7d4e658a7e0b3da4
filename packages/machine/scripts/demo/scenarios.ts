import { RECOVERY_ID, cast } from './cast.ts';
import { createScript, tagOf } from './events.ts';
import type { Beat, Scenario } from './run.ts';

/**
 * The walkthrough's stories. Each is the event sequence the adapters would produce, in
 * Twilio's usual order; the statechart's answers are what the demo prints.
 */

const ping = tagOf(RECOVERY_ID, 'ping');
const reconnect = tagOf(RECOVERY_ID, 'reconnect');
const escalation = tagOf(RECOVERY_ID, 'escalation');

/** Alice takes the customer's call; Flex forces endConferenceOnExit on her leg, Lifeline undoes it. */
function connectedCall(s: ReturnType<typeof createScript>, withExternal: boolean): Beat[] {
  const beats: Beat[] = [
    { note: 'Alice accepts the call; the Flex plugin registers it.', event: s.registered(0) },
    { note: 'The customer is in the conference.', event: s.joined(0.4, cast.customer, 'customer') },
    {
      note: "Alice's leg joins; Flex sets endConferenceOnExit=true on it (it does whenever 2 or fewer are live).",
      event: s.joined(0.6, cast.aliceCall, 'worker', true),
    },
  ];
  if (withExternal) {
    beats.push({
      note: 'Alice adds an external party to the call.',
      event: s.joined(40, cast.external, 'external'),
    });
  }
  return beats;
}

/** Alice's page reloads, her leg drops, and the Recovery Ping task is created. */
function refreshAndPing(s: ReturnType<typeof createScript>): Beat[] {
  return [
    {
      note: "Alice's page reloads; the plugin's pagehide beacon reaches the server first.",
      event: s.pageUnloaded(95, cast.alice.workerSid),
    },
    {
      note: "Alice's leg ends with the page.",
      event: s.left(95.3, cast.aliceCall, 'participant_hung_up'),
    },
    {
      note: 'The adapter reports the ping task it created.',
      event: s.pingTaskCreated(95.8, RECOVERY_ID),
    },
  ];
}

export const defaultScenario: Scenario = {
  name: 'default',
  title:
    "Alice's page refreshes during a call with a customer and an external party; she accepts the ping, gets the customer back, and the external party is moved into the new call.",
  expected: 'recovered',
  beats: () => {
    const s = createScript();
    return [
      ...connectedCall(s, true),
      ...refreshAndPing(s),
      {
        note: 'The reloaded plugin accepts the Recovery Ping for Alice.',
        event: s.accepted(99, cast.pingTask, ping, cast.alice.workerSid, cast.pingReservation),
      },
      {
        note: 'The Enqueue TwiML moves the customer out of the old conference.',
        event: s.left(99.4, cast.customer, 'participant_updated_via_api'),
      },
      {
        note: 'TaskRouter creates the reconnect task.',
        event: s.taskCreated(99.5, cast.reconnectTask, reconnect),
      },
      {
        note: 'The reconnect task enters the queue, targeted at Alice.',
        event: s.queueEntered(99.6, cast.reconnectTask, reconnect),
      },
      {
        note: 'Alice accepts the reconnect task: she is with the customer in a new conference.',
        event: s.accepted(
          104,
          cast.reconnectTask,
          reconnect,
          cast.alice.workerSid,
          cast.customerReservation,
        ),
      },
      {
        note: 'The customer is seen joining the new conference: now the parties are moved.',
        event: s.redialJoined(104.3, cast.customer),
      },
      {
        note: 'The external party leaves the old conference as it is moved.',
        event: s.left(104.6, cast.external, 'participant_updated_via_api'),
      },
      {
        note: 'The adapter reports the move was accepted: not yet an arrival.',
        event: s.partyMoved(105.2, RECOVERY_ID, cast.external),
      },
      {
        note: 'The external party is seen joining the new conference: the re-dial landed.',
        event: s.redialJoined(105.6, cast.external),
      },
    ];
  },
};

export const escalateScenario: Scenario = {
  name: 'escalate',
  title:
    "Alice's page refreshes and she never comes back: the ping's TTL expires and the customer is routed to Bob with raised priority.",
  expected: 'handledByAnotherAgent',
  beats: () => {
    const s = createScript();
    return [
      ...connectedCall(s, false),
      ...refreshAndPing(s),
      {
        note: 'Nobody accepts the ping: TaskRouter cancels it when its 15 s TTL runs out.',
        event: s.canceled(110.8, cast.pingTask, ping, 'Task TTL Exceeded'),
      },
      {
        note: 'The Enqueue TwiML moves the customer out of the old conference.',
        event: s.left(111.2, cast.customer, 'participant_updated_via_api'),
      },
      {
        note: 'TaskRouter creates the escalation task.',
        event: s.taskCreated(111.3, cast.escalationTask, escalation),
      },
      {
        note: 'The escalation task enters the queue for any agent.',
        event: s.queueEntered(111.4, cast.escalationTask, escalation),
      },
      {
        note: 'Bob accepts the escalation task.',
        event: s.accepted(
          118,
          cast.escalationTask,
          escalation,
          cast.bob.workerSid,
          cast.customerReservation,
        ),
      },
      {
        note: "The customer joins Bob's conference: an accept alone is not a connection.",
        event: s.redialJoined(119.2, cast.customer),
      },
    ];
  },
};

export const abandonScenario: Scenario = {
  name: 'abandon',
  title: "Alice's page refreshes and the customer hangs up while Lifeline is still pinging her.",
  expected: 'abandoned',
  beats: () => {
    const s = createScript();
    return [
      ...connectedCall(s, false),
      ...refreshAndPing(s),
      {
        note: 'The customer hangs up while waiting.',
        event: s.left(101, cast.customer, 'participant_hung_up'),
      },
    ];
  },
};

export const timeoutScenario: Scenario = {
  name: 'timeout',
  title:
    "TaskRouter's cancel of the expired ping is lost: Lifeline's own pingTimeout escalates, and Alice, back late, takes the escalated customer herself.",
  expected: 'recovered',
  beats: () => {
    const s = createScript();
    return [
      ...connectedCall(s, false),
      ...refreshAndPing(s),
      {
        note: 'No answer and no cancel from TaskRouter: the pingTimeout timer comes due.',
        timer: 'pingTimeout',
      },
      {
        note: 'TaskRouter creates the escalation task.',
        event: s.taskCreated(115.4, cast.escalationTask, escalation),
      },
      {
        note: 'The escalation task enters the queue for any agent.',
        event: s.queueEntered(115.5, cast.escalationTask, escalation),
      },
      {
        note: 'Alice is back and happens to be the agent who accepts it.',
        event: s.accepted(
          121,
          cast.escalationTask,
          escalation,
          cast.alice.workerSid,
          cast.customerReservation,
        ),
      },
      {
        note: "The customer joins Alice's new conference: the call is back together.",
        event: s.redialJoined(122.2, cast.customer),
      },
    ];
  },
};

export const scenarios: readonly Scenario[] = [
  defaultScenario,
  escalateScenario,
  abandonScenario,
  timeoutScenario,
];
