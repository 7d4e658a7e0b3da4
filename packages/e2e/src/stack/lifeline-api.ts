import type { PersistedRecovery } from '@lifeline/machine';
import { describeSnapshot, restore } from '@lifeline/machine';
import type { StateMeta } from '@lifeline/machine';

/** One line of a conference's server timeline (the admin endpoint's `timeline`). */
export interface ServerTimelineEntry {
  at: number;
  kind: 'event' | 'effect' | 'effect-result' | 'note';
  name: string;
  state?: string;
  detail?: unknown;
}

/** A recovery as the server's API shows it. */
export interface RecoveryView {
  conferenceSid: string;
  version: number;
  /** The leaf state: connected, pinging, reconnecting, recovered, ... */
  state: string;
  final: boolean;
  snapshot: PersistedRecovery;
  timeline: ServerTimelineEntry[];
}

/** A row of the inspector's listing: one stored conference, without its timeline. */
export interface ListedConference {
  conferenceSid: string;
  state: string;
  final: boolean;
  outcome: string | null;
  workerSid: string | null;
  taskSid: string | null;
}

export class LifelineApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The effect-result detail the server's effect runner writes. */
export interface EffectResultDetail {
  key: string;
  attempt: number;
  result: string;
  latencyMs?: number;
}

export function effectResult(entry: ServerTimelineEntry): EffectResultDetail | null {
  if (entry.kind !== 'effect-result' || typeof entry.detail !== 'object' || entry.detail === null)
    return null;
  const detail = entry.detail as Partial<EffectResultDetail>;
  return typeof detail.key === 'string' && typeof detail.result === 'string'
    ? {
        key: detail.key,
        attempt: typeof detail.attempt === 'number' ? detail.attempt : 1,
        result: detail.result,
        ...(typeof detail.latencyMs === 'number' ? { latencyMs: detail.latencyMs } : {}),
      }
    : null;
}

/**
 * Lifeline's plugin/admin API as the scenarios read it: the admin view of a conference
 * (snapshot + timeline) and a worker's own view (what the plugin's modal shows after a reload).
 */
export class LifelineApi {
  constructor(
    private readonly baseUrl: () => string,
    private readonly adminToken: () => string,
  ) {}

  /** The admin view, or null while the server does not know the conference. */
  async conference(conferenceSid: string): Promise<RecoveryView | null> {
    const response = await fetch(`${this.baseUrl()}/api/v1/conferences/${conferenceSid}`, {
      headers: { authorization: `Bearer ${this.adminToken()}` },
    });
    if (response.status === 404) return null;
    if (!response.ok)
      throw new LifelineApiError(response.status, `GET conference: ${await response.text()}`);
    return (await response.json()) as RecoveryView;
  }

  /**
   * Every stored conference (the inspector's listing, 500 a page): one request per page, where
   * the admin view costs one per conference.
   */
  async listConferences(filter: { live?: boolean } = {}): Promise<ListedConference[]> {
    const all: ListedConference[] = [];
    for (let offset = 0; ; offset += 500) {
      const query = `limit=500&offset=${offset}${filter.live === true ? '&live=true' : ''}`;
      const response = await fetch(`${this.baseUrl()}/inspect/api/conferences?${query}`, {
        headers: { authorization: `Bearer ${this.adminToken()}` },
      });
      if (!response.ok)
        throw new LifelineApiError(response.status, `GET listing: ${await response.text()}`);
      const page = (await response.json()) as { total: number; items: ListedConference[] };
      all.push(...page.items);
      if (page.items.length === 0 || offset + page.items.length >= page.total) return all;
    }
  }

  /** GET /api/v1/workers/:sid/recovery with the worker's own token; null on 404. */
  async workerRecovery(
    workerSid: string,
    token: string,
  ): Promise<Omit<RecoveryView, 'timeline'> | null> {
    const response = await fetch(`${this.baseUrl()}/api/v1/workers/${workerSid}/recovery`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status === 404) return null;
    if (!response.ok)
      throw new LifelineApiError(response.status, `GET worker recovery: ${await response.text()}`);
    return (await response.json()) as Omit<RecoveryView, 'timeline'>;
  }
}

/** The modal copy the plugin shows for a stored recovery (the machine's meta, one source). */
export function modalOf(snapshot: PersistedRecovery): StateMeta {
  return describeSnapshot(restore(snapshot)).meta;
}
