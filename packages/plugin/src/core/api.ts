import type { AgentRegistered, AgentTransferred } from '@lifeline/machine';

/**
 * The Lifeline server's plugin API (`<server>/api/v1`). Every call carries the agent's Flex
 * token as a Bearer token; the server validates it with Twilio and answers 401 otherwise.
 * fetch is injected so the simulator's agents (Node) and tests use the same client.
 */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}
export interface FetchResponse {
  status: number;
  json(): Promise<unknown>;
}
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** POST /conferences/:conferenceSid/agents: the machine's agent.registered event, less `type` and `at` (the server stamps them). */
export type Registration = Omit<AgentRegistered, 'type' | 'at'>;

export type TransferMode = AgentTransferred['mode'];

/** GET /workers/:workerSid/recovery and every stream message: a persisted snapshot. */
export interface RecoveryReport {
  conferenceSid: string;
  version: number;
  snapshot: unknown;
  state?: string;
  final?: boolean;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly path: string,
  ) {
    super(`Lifeline server answered ${status} to ${path}`);
  }
}

export interface ApiClientOptions {
  serverUrl: string;
  getToken: () => string | null;
  fetch: FetchLike;
  timeoutMs?: number;
}

export interface ApiClient {
  registerAgent(conferenceSid: string, body: Registration): Promise<{ version: number | null }>;
  hangup(conferenceSid: string, workerSid: string, liveParticipantCount: number): Promise<void>;
  transfer(conferenceSid: string, workerSid: string, mode: TransferMode): Promise<void>;
  /** The agent accepted its Recovery Ping: the server moves on once TaskRouter confirms. */
  pingAccepted(
    conferenceSid: string,
    workerSid: string,
    ping: { taskSid: string; reservationSid: string },
  ): Promise<void>;
  getRecovery(workerSid: string): Promise<RecoveryReport | null>;
  /** EventSource cannot send headers, so the stream takes the token as a query parameter. */
  streamUrl(conferenceSid: string): string;
  /** sendBeacon cannot send headers either: the token travels in the body. */
  unloadBeacon(conferenceSid: string, workerSid: string): { url: string; body: string };
}

const enc = encodeURIComponent;

export function isRecoveryReport(value: unknown): value is RecoveryReport {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['conferenceSid'] === 'string' &&
    typeof v['version'] === 'number' &&
    typeof v['snapshot'] === 'object' &&
    v['snapshot'] !== null
  );
}

export function createApiClient({
  serverUrl,
  getToken,
  fetch,
  timeoutMs = 5_000,
}: ApiClientOptions): ApiClient {
  const api = `${serverUrl}/api/v1`;
  const token = () => getToken() ?? '';

  async function request(method: string, path: string, body?: unknown) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const headers: Record<string, string> = { Authorization: `Bearer ${token()}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const init: FetchInit = { method, headers, signal: controller.signal };
      if (body !== undefined) init.body = JSON.stringify(body);
      return await fetch(`${api}${path}`, init);
    } finally {
      clearTimeout(timer);
    }
  }

  async function expectOk(method: string, path: string, body?: unknown) {
    const response = await request(method, path, body);
    if (response.status < 200 || response.status > 299) throw new ApiError(response.status, path);
    return response;
  }

  const agentPath = (conferenceSid: string, workerSid: string) =>
    `/conferences/${enc(conferenceSid)}/agents/${enc(workerSid)}`;

  return {
    async registerAgent(conferenceSid, body) {
      const response = await expectOk('POST', `/conferences/${enc(conferenceSid)}/agents`, body);
      const json = (await response.json().catch(() => null)) as { version?: unknown } | null;
      return { version: typeof json?.version === 'number' ? json.version : null };
    },
    async hangup(conferenceSid, workerSid, liveParticipantCount) {
      await expectOk('POST', `${agentPath(conferenceSid, workerSid)}/hangup`, {
        liveParticipantCount,
      });
    },
    async transfer(conferenceSid, workerSid, mode) {
      await expectOk('POST', `${agentPath(conferenceSid, workerSid)}/transfer`, { mode });
    },
    async pingAccepted(conferenceSid, workerSid, ping) {
      await expectOk('POST', `${agentPath(conferenceSid, workerSid)}/ping-accepted`, ping);
    },
    async getRecovery(workerSid) {
      const path = `/workers/${enc(workerSid)}/recovery`;
      const response = await request('GET', path);
      if (response.status === 404) return null;
      if (response.status !== 200) throw new ApiError(response.status, path);
      const json: unknown = await response.json();
      return isRecoveryReport(json) ? json : null;
    },
    streamUrl(conferenceSid) {
      return `${api}/conferences/${enc(conferenceSid)}/stream?token=${enc(token())}`;
    },
    unloadBeacon(conferenceSid, workerSid) {
      return {
        url: `${api}${agentPath(conferenceSid, workerSid)}/unload`,
        body: JSON.stringify({ token: token() }),
      };
    },
  };
}
