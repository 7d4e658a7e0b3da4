/**
 * The CLI's way to a running Lifeline server: LIFELINE_URL (default http://127.0.0.1:3000),
 * authenticated with LIFELINE_TOKEN (a supervisor or admin Flex token) or LIFELINE_BASIC_AUTH
 * (user:password, as the server's INSPECT_BASIC_AUTH). Through HTTP, so it works with any store.
 */
export type Env = Record<string, string | undefined>;

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export interface InspectorClient {
  get(path: string): Promise<unknown>;
}

export function connect(env: Env): InspectorClient {
  const base = (env['LIFELINE_URL'] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const token = env['LIFELINE_TOKEN']?.trim();
  const basic = env['LIFELINE_BASIC_AUTH']?.trim();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  else if (basic) headers['authorization'] = `Basic ${Buffer.from(basic).toString('base64')}`;
  else
    throw new CliError(
      'set LIFELINE_TOKEN (supervisor or admin Flex token) or LIFELINE_BASIC_AUTH (user:password)',
    );
  return {
    async get(path) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, { headers });
      } catch (error) {
        throw new CliError(
          `cannot reach ${base}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const text = await response.text();
      if (!response.ok) {
        let message = text;
        try {
          message = (JSON.parse(text) as { message?: string }).message ?? text;
        } catch {
          // Not JSON: the text as it came.
        }
        throw new CliError(`${response.status} from ${path}: ${message}`);
      }
      return JSON.parse(text) as unknown;
    },
  };
}
