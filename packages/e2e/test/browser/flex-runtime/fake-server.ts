import type { JsonObject } from '@lifeline/machine';
import { persist, start, step } from '@lifeline/machine';

/**
 * Lifeline's server, in the page and across its reloads (sessionStorage): records the
 * plugin's requests and beacons, and answers the recovery check from the real statechart,
 * stepped with what the plugin itself sent (its registration, its unload beacon). Only
 * window.fetch and navigator.sendBeacon are replaced; the plugin's code runs unchanged.
 */
export const SERVER = 'https://lifeline.example';
const KEY = 'flex-runtime-server';

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

const load = (): Recorded[] => JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as Recorded[];
const save = (requests: Recorded[]) => sessionStorage.setItem(KEY, JSON.stringify(requests));

function record(entry: Recorded) {
  save([...load(), entry]);
}

/** The recovery the server would hold after this registration and this unload. */
function recoveryAfterUnload(requests: Recorded[]) {
  const registered = requests.find((r) => r.method === 'POST' && r.path.endsWith('/agents'));
  const unloaded = requests.find((r) => r.path.endsWith('/unload'));
  if (registered === undefined || unloaded === undefined) return null;
  const conferenceSid = decodeURIComponent(registered.path.split('/')[2] ?? '');
  const body = registered.body as JsonObject & { workerSid: string };
  const at = Date.now() - 2_000;
  let snapshot = start({ conferenceSid }).snapshot;
  snapshot = step(snapshot, { type: 'agent.registered', at, ...body } as never).snapshot;
  snapshot = step(snapshot, {
    type: 'agent.pageUnloaded',
    at: at + 1_000,
    workerSid: body.workerSid,
  }).snapshot;
  return {
    conferenceSid,
    version: 2,
    snapshot: JSON.parse(JSON.stringify(persist(snapshot))) as unknown,
    state: 'pinging',
    final: false,
  };
}

const answer = (status: number, value: unknown) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

export function installFakeServer(): { requests: () => Recorded[] } {
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(SERVER)) return realFetch(input, init);
    const path = url.slice(`${SERVER}/api/v1`.length);
    const method = init?.method ?? 'GET';
    const text = typeof init?.body === 'string' ? init.body : '';
    record({ method, path, body: text === '' ? null : (JSON.parse(text) as unknown) });
    if (method === 'GET') {
      const recovery = recoveryAfterUnload(load());
      return recovery === null ? answer(404, { error: 'not found' }) : answer(200, recovery);
    }
    return answer(200, { ok: true, version: 1 });
  };
  Object.defineProperty(window.navigator, 'sendBeacon', {
    configurable: true,
    value: (url: string, body: string) => {
      record({ method: 'BEACON', path: url.slice(`${SERVER}/api/v1`.length), body });
      return true;
    },
  });
  // The event stream never opens here: the plugin polls the recovery instead.
  Object.assign(window, {
    EventSource: class {
      onopen: (() => void) | null = null;
      onmessage: (() => void) | null = null;
      onerror: (() => void) | null = null;
      constructor() {
        setTimeout(() => this.onerror?.(), 0);
      }
      close() {}
    },
  });
  return { requests: load };
}
