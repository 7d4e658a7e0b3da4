import type { RequestRecord } from '@lifeline/simulator';
import type { RecoveryView } from '../stack/lifeline-api.ts';
import { effectResult } from '../stack/lifeline-api.ts';

/** What the effects ledger and Twilio's request log say, over every conference of a run. */
export interface EffectCheck {
  /** Effects the servers enqueued (distinct keys). */
  enqueued: number;
  /** Effects with a final result (not a retry). */
  ran: number;
  /** Successful REST mutations Twilio saw (POST and DELETE answered below 300). */
  mutations: number;
  /** Of those, the once-only ones checked against the ledger, by effect. */
  checked: Record<string, number>;
  /** Each line an effect that ran twice or never, or a Twilio mutation made more often than asked. */
  problems: string[];
}

/**
 * The Twilio mutations that each effect makes once and that name their conference, so a run
 * twice (two instances, a lease lost mid-run) shows as one request too many: the announcement
 * (UpdateConference with AnnounceUrl), the Recovery Ping (CreateTask with the ping's Lifeline
 * tag) and the customer's queueing (UpdateCall with `<Enqueue>`, its task carrying the tag).
 */
const mutationKinds = [
  {
    effect: 'announceHold',
    conferenceOf: (r: RequestRecord) =>
      r.operationId === 'UpdateConference' && r.params['AnnounceUrl'] !== undefined
        ? (/\/Conferences\/(CF[0-9a-f]+)/.exec(r.path)?.[1] ?? null)
        : null,
  },
  {
    effect: 'createPingTask',
    conferenceOf: (r: RequestRecord) =>
      r.operationId === 'CreateTask'
        ? taggedConference(String(r.params['Attributes']), 'ping')
        : null,
  },
  {
    effect: 'enqueueCustomer',
    conferenceOf: (r: RequestRecord) => {
      const twiml = String(r.params['Twiml'] ?? '');
      return r.operationId === 'UpdateCall' && twiml.includes('<Enqueue')
        ? taggedConference(twiml, null)
        : null;
    },
  },
] as const;

/** The conference a Lifeline tag (`"lifeline":{"conferenceSid":…,"kind":…}`) names. */
function taggedConference(text: string, kind: string | null): string | null {
  const raw = /"lifeline":(\{[^{}]*\})/.exec(text.replaceAll('&quot;', '"'))?.[1];
  if (raw === undefined) return null;
  const tag = JSON.parse(raw) as { conferenceSid?: unknown; kind?: unknown };
  if (typeof tag.conferenceSid !== 'string' || (kind !== null && tag.kind !== kind)) return null;
  return tag.conferenceSid;
}

/**
 * Issue 12's "no effect runs twice", from both sides: in each conference's ledger every
 * effect key has exactly one final result; on Twilio's side no once-only mutation was made
 * more often than that conference's ledger has keys for it. The timeline lists every effect
 * the chart asked for, a key asked again included; the store enqueues a key once, so keys are
 * counted, not lines.
 */
export function checkEffectsOnce(records: RequestRecord[], views: RecoveryView[]): EffectCheck {
  const problems: string[] = [];
  let enqueued = 0;
  let ran = 0;
  /** The distinct keys of each conference's effects of a type (`<sid> <type>`). */
  const asked = new Map<string, Set<string>>();
  /** What each conference's effects of a type ended with, to name in a problem. */
  const outcomes = new Map<string, string[]>();
  for (const view of views) {
    const finals = new Map<string, number>();
    const keys = new Set<string>();
    for (const entry of view.timeline) {
      const id = `${view.conferenceSid} ${entry.name}`;
      const result = effectResult(entry);
      if (entry.kind === 'effect') {
        const key = (entry.detail as { key?: unknown } | undefined)?.key;
        if (typeof key !== 'string') continue;
        keys.add(key);
        asked.set(id, (asked.get(id) ?? new Set()).add(key));
      } else if (result !== null) {
        // Every attempt is named in a problem (a retry after a lost answer shows there).
        outcomes.set(id, [...(outcomes.get(id) ?? []), result.result]);
        if (result.result.startsWith('retry in')) continue;
        finals.set(result.key, (finals.get(result.key) ?? 0) + 1);
        ran += 1;
      }
    }
    enqueued += keys.size;
    for (const key of keys) {
      const count = finals.get(key) ?? 0;
      if (count !== 1) problems.push(`${view.conferenceSid}: effect ${key} has ${count} results`);
    }
  }
  const successful = records.filter(
    (r) => (r.method === 'POST' || r.method === 'DELETE') && r.status < 300,
  );
  const checked: Record<string, number> = {};
  for (const kind of mutationKinds) {
    const made = new Map<string, number>();
    for (const record of successful) {
      const conferenceSid = kind.conferenceOf(record);
      if (conferenceSid !== null) made.set(conferenceSid, (made.get(conferenceSid) ?? 0) + 1);
    }
    checked[kind.effect] = [...made.values()].reduce((sum, count) => sum + count, 0);
    const conferences = new Set([...made.keys(), ...views.map((view) => view.conferenceSid)]);
    for (const conferenceSid of conferences) {
      const want = asked.get(`${conferenceSid} ${kind.effect}`)?.size ?? 0;
      const got = made.get(conferenceSid) ?? 0;
      const ended = outcomes.get(`${conferenceSid} ${kind.effect}`) ?? [];
      // Fewer is an effect that found its target gone (a 404 answers it, no mutation made).
      if (got > want)
        problems.push(
          `${conferenceSid}: ${kind.effect} asked ${want}, Twilio saw ${got} (${ended.join('; ')})`,
        );
    }
  }
  return { enqueued, ran, mutations: successful.length, checked, problems };
}
