import type {
  Effect,
  ModalCopy,
  Outcome,
  RecoveryEvent,
  RecoverySnapshot,
  StepResult,
  TimerRequest,
} from '../../src/index.ts';
import { jsonEqual, metaOf, start, step } from '../../src/index.ts';
import { delayOfAfterEvent } from '../../src/chart/index.ts';
import { T0, cast } from './cast.ts';

/**
 * Drives a scenario through the pure start()/step() the way a host would: it delivers each
 * event, keeps the timers the statechart asks for, and fires one only when it is pending.
 */

/** One thing that happens: an event from Twilio/Flex/an adapter, or a pending timer coming due. */
export type Beat = { note: string; event: RecoveryEvent } | { note: string; timer: string };

export interface Scenario {
  name: string;
  /** One line: what happens. */
  title: string;
  /** The final state the walkthrough must reach. */
  expected: string;
  beats: () => Beat[];
}

export interface TimelineEntry {
  /** Milliseconds since T0. */
  at: number;
  /** The event type delivered ('start' for the actor's first snapshot). */
  input: string;
  note: string;
  state: string;
  changed: boolean;
  effects: Effect[];
  scheduled: { delay: string; delayMs: number }[];
  canceled: string[];
  /** The modal after this step when it differs from before (null: closed); undefined when unchanged. */
  modal: ModalCopy | null | undefined;
}

export interface Walkthrough {
  scenario: Scenario;
  entries: TimelineEntry[];
  finalState: string;
  done: boolean;
  outcome: Outcome | null;
  /** Null when the walkthrough ended where the scenario expects. */
  problem: string | null;
}

type StateValueLike = string | { [key: string]: StateValueLike | undefined };

/** 'connected', 'recovering.pinging': the dotted path of a state value. */
export function statePath(value: StateValueLike): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${statePath(child)}`))
    .join(',');
}

function modalOf(snapshot: RecoverySnapshot): ModalCopy | null {
  return metaOf(snapshot).modal;
}

interface PendingTimer extends TimerRequest {
  dueAt: number;
}

export function walkScenario(scenario: Scenario): Walkthrough {
  const first = start({ conferenceSid: cast.conference });
  let snapshot = first.snapshot;
  let modal = modalOf(snapshot);
  let now = 0;
  const pending = new Map<string, PendingTimer>();
  const entries: TimelineEntry[] = [];

  const record = (result: StepResult, input: string, note: string) => {
    // Leaving a state cancels its timers, including one that has just fired: only the
    // ones still pending are worth a line.
    const canceled = result.cancel.filter((id) => pending.has(id));
    for (const id of canceled) pending.delete(id);
    for (const timer of result.schedule)
      pending.set(timer.id, { ...timer, dueAt: now + timer.delayMs });
    const nextModal = modalOf(result.snapshot);
    const modalChanged = !jsonEqual(nextModal, modal);
    entries.push({
      at: now,
      input,
      note,
      state: statePath(result.snapshot.value),
      changed: result.changed,
      effects: result.effects,
      scheduled: result.schedule.map((t) => ({
        delay: delayOfAfterEvent(t.id),
        delayMs: t.delayMs,
      })),
      canceled: canceled.map(delayOfAfterEvent),
      modal: modalChanged || input === 'start' ? nextModal : undefined,
    });
    snapshot = result.snapshot;
    modal = nextModal;
  };

  record(first, 'start', "The conference's recovery actor starts.");
  for (const beat of scenario.beats()) {
    if ('event' in beat) {
      now = beat.event.at - T0;
      record(step(snapshot, beat.event), beat.event.type, beat.note);
      continue;
    }
    const timer = [...pending.values()].find((t) => delayOfAfterEvent(t.id) === beat.timer);
    if (timer === undefined) {
      throw new Error(`the scenario fires timer ${beat.timer}, but no such timer is pending`);
    }
    now = Math.max(now, timer.dueAt);
    pending.delete(timer.id);
    record(step(snapshot, timer.event), timer.event.type, beat.note);
  }

  const finalState = statePath(snapshot.value);
  const done = snapshot.status === 'done';
  const problem =
    finalState === scenario.expected && done
      ? null
      : `expected to end in ${scenario.expected}, but ended in ${finalState}${done ? '' : ' (not a final state)'}`;
  return { scenario, entries, finalState, done, outcome: snapshot.context.outcome, problem };
}
