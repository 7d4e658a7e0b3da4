/**
 * A conference exported as a replayable case: the machine config it ran with and every event
 * it received, in the order the server applied them. `pnpm lifeline replay` feeds it to the
 * pure step(); a case saved from production can become a test.
 *
 * Task attributes are not stored in the timeline (they can be large and carry customer
 * data), so events carry them empty; the statechart decides on the Lifeline tag, which is
 * kept. Phone numbers are masked like everywhere else in the inspector.
 */
import type { RecoveryConfig, StepEvent } from '@lifeline/machine';
import type { StoredRecovery, TimelineEntry } from '../store/types.ts';
import { maskDeep } from './mask.ts';
import { ENVELOPE_FIELDS } from './timeline.ts';

export const CASE_FORMAT = 'lifeline-case/1';

export interface CaseEvent {
  /** Where the server got it (conference-status, event-streams, api, timer, effect). */
  source: string;
  /** What the server recorded: applied or ignored, and the state after it. */
  outcome: string;
  state: string | null;
  event: StepEvent;
}

export interface CaseFixture {
  format: typeof CASE_FORMAT;
  conferenceSid: string;
  exportedAt: string;
  config: Partial<RecoveryConfig>;
  /** The server's last stored state, for the replay to compare with. */
  final: { state: string; final: boolean; version: number };
  /** True when the timeline had been capped and its oldest entries are gone. */
  truncated: boolean;
  events: CaseEvent[];
}

/** Event types whose payload carries task attributes the timeline leaves out. */
const EMPTY_ATTRIBUTES: Record<string, string> = {
  'agent.registered': 'taskAttributes',
  'task.created': 'attributes',
  'task.queueEntered': 'attributes',
  'task.canceled': 'attributes',
  'task.completed': 'attributes',
  'reservation.accepted': 'attributes',
  'reservation.rejected': 'attributes',
  'reservation.timeout': 'attributes',
};

export function eventOf(entry: TimelineEntry): StepEvent {
  const detail = Object.fromEntries(
    Object.entries((entry.detail ?? {}) as Record<string, unknown>).filter(
      ([name]) => !(ENVELOPE_FIELDS as readonly string[]).includes(name),
    ),
  );
  const attributes = EMPTY_ATTRIBUTES[entry.name];
  if (attributes !== undefined && !(attributes in detail)) detail[attributes] = {};
  // The timeline holds what the engine stepped, so this is a StepEvent by construction.
  return { type: entry.name, ...detail } as unknown as StepEvent;
}

export function exportCase(
  stored: StoredRecovery,
  state: string,
  entries: readonly TimelineEntry[],
  exportedAt: Date,
): CaseFixture {
  const context = (stored.snapshot as { context?: { config?: Partial<RecoveryConfig> } }).context;
  const events = entries.filter((entry) => entry.kind === 'event');
  const first = events[0];
  return {
    format: CASE_FORMAT,
    conferenceSid: stored.conferenceSid,
    exportedAt: exportedAt.toISOString(),
    config: context?.config ?? {},
    final: { state, final: stored.final, version: stored.version },
    // The first thing a conference ever sees is the agent's registration, which creates it.
    truncated: first === undefined || first.name !== 'agent.registered',
    events: events.map((entry) => {
      const detail = (entry.detail ?? {}) as Record<string, unknown>;
      return {
        source: typeof detail['source'] === 'string' ? detail['source'] : 'unknown',
        outcome: typeof detail['outcome'] === 'string' ? detail['outcome'] : 'applied',
        state: entry.state ?? null,
        event: maskDeep(eventOf(entry)) as StepEvent,
      };
    }),
  };
}

/** Checks the shape of a fixture read from a file; the message names what is wrong. */
export function parseCase(value: unknown): CaseFixture {
  const object = value as Partial<CaseFixture> | null;
  if (typeof object !== 'object' || object === null) throw new Error('not a JSON object');
  if (object.format !== CASE_FORMAT) {
    throw new Error(`format must be "${CASE_FORMAT}", got ${JSON.stringify(object.format)}`);
  }
  if (typeof object.conferenceSid !== 'string') throw new Error('conferenceSid is missing');
  if (!Array.isArray(object.events)) throw new Error('events must be an array');
  object.events.forEach((item, i) => {
    const type = (item as Partial<CaseEvent> | null)?.event?.type;
    if (typeof type !== 'string') throw new Error(`events[${i}].event.type is missing`);
  });
  return object as CaseFixture;
}
