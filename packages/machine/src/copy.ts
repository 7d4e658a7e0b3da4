/**
 * What the agent sees in the Flex plugin's modal, per state. The plugin renders only this,
 * so wording lives in one place and the statechart docs can show it.
 */
export type ModalTone = 'info' | 'warning' | 'success' | 'error';

export interface ModalCopy {
  title: string;
  body: string;
  tone: ModalTone;
  /** While true the plugin blocks wrap-up and complete of the original task. */
  blocking: boolean;
  /** Close by itself after this long (ms); null keeps it open until dismissed. */
  autoCloseMs: number | null;
}

export interface StateMeta {
  /** null: no modal in this state. */
  modal: ModalCopy | null;
  /** One line for engineers, used in the generated docs. */
  summary: string;
}

const blocking = (title: string, body: string, tone: ModalTone = 'warning'): ModalCopy => ({
  title,
  body,
  tone,
  blocking: true,
  autoCloseMs: null,
});

const closing = (title: string, body: string, tone: ModalTone, autoCloseMs: number | null) => ({
  title,
  body,
  tone,
  blocking: false,
  autoCloseMs,
});

export const copy = {
  connected: {
    modal: null,
    summary: 'Connected: agents, customer and third parties are tracked; nothing to recover.',
  },
  disconnected: {
    modal: blocking(
      'Your call dropped',
      'The page reloaded and your call leg ended. The customer is still on the line and hears that you will be right back.',
    ),
    summary: 'The last agent dropped: announce, tag the task, keep everyone in the conference.',
  },
  pinging: {
    modal: blocking(
      'Checking that you are back',
      'Your connection is back and we are confirming it. The customer is still on the line and hears that you will be right back. Please do not wrap up.',
    ),
    summary: 'A Recovery Ping task asks whether the disconnected worker is reachable.',
  },
  reconnecting: {
    modal: blocking(
      'Reconnecting you to the customer',
      'The customer is being routed back to you. Accept the incoming call to continue the conversation.',
      'info',
    ),
    summary: 'The customer waits in a queue for a reconnect task targeted at the same worker.',
  },
  redialing: {
    modal: closing(
      'Bringing the call back together',
      'The customer is being connected to you. Anyone else who was on the call is dialled back in once the customer is there.',
      'info',
      null,
    ),
    summary:
      'Waits for the customer in the new conference, then moves every remaining party of the old conference into it.',
  },
  locating: {
    modal: closing(
      'Checking the customer is connected',
      'The call did not come together in time. We are checking where the customer is, and will queue them again if they are not with an agent.',
      'info',
      null,
    ),
    summary:
      'No join of the customer in the new conference was seen in time: Twilio is asked where the customer is. Queued on a task whose agent never connected, the customer is queued again (escalated).',
  },
  escalated: {
    modal: closing(
      'The customer is being routed to the next agent',
      'You could not be reached in time, so the customer is waiting for the next available agent, with raised priority. You can wrap up this task.',
      'warning',
      null,
    ),
    summary: 'The customer is queued on the original workflow, raised priority, any agent.',
  },
  recovered: {
    modal: closing('Back with the customer', 'The call was recovered.', 'success', 4000),
    summary: 'Final: the agent is back with the customer and every party that could rejoin.',
  },
  abandoned: {
    modal: closing(
      'The customer hung up',
      'The customer left before you were reconnected. Wrap up as usual and follow up if your process asks for it.',
      'error',
      null,
    ),
    summary: 'Final: the customer left during the recovery; pending tasks are canceled.',
  },
  graceful: {
    modal: null,
    summary: 'Final: the agent hung up through Flex; nothing to recover.',
  },
  customerLeft: {
    modal: null,
    summary: 'Final: the customer hung up on a connected call; nothing to recover.',
  },
  conferenceEnded: {
    modal: closing(
      'The call ended',
      'The conference ended before the recovery could finish. Wrap up as usual.',
      'error',
      null,
    ),
    summary: 'Final: the conference ended while the customer was still in it.',
  },
  handledByAnotherAgent: {
    modal: closing(
      'Another agent has the customer',
      'The customer is now with another agent. You can wrap up this task.',
      'info',
      null,
    ),
    summary: 'Final: another agent accepted the customer.',
  },
  untracked: {
    modal: null,
    summary: 'Final: the conference is not named after a task (not a Flex task call); ignored.',
  },
} satisfies Record<string, StateMeta>;

export type CopyKey = keyof typeof copy;
