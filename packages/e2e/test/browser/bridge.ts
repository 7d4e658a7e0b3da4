import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from '@lifeline/simulator';
import type { AcceptRequest, BridgeSession, TaskRequest } from './bridge-protocol.ts';
import { Desk } from './bridge-desk.ts';
import { twilioRest } from './twilio-rest.ts';

/**
 * The test-only bridge between the harness page's fake Flex and the simulator (see
 * bridge-protocol.ts). Everything it does to the simulated account goes through Twilio's REST
 * API, as Flex's backend would; only the Voice SDK's leg ending with the page is the simulator's
 * own `sim.calls.hangup` (a browser leg that drops is a hang-up, not an API request).
 */
export interface BridgeOptions {
  sim: Simulator;
  /** The harness page's origin (CORS). */
  origin: string;
}

export async function startBridge({ sim, origin }: BridgeOptions) {
  const rest = twilioRest({
    url: sim.url,
    accountSid: sim.options.accountSid,
    authToken: sim.options.authToken,
    workspaceSid: sim.options.workspaceSid,
  });
  const desk = new Desk(rest);
  const files = new Map<string, string>();

  async function accept({ taskSid, reservationSid, conferenceOptions }: AcceptRequest) {
    if (conferenceOptions === undefined) {
      await rest.updateReservation(taskSid, reservationSid, { ReservationStatus: 'accepted' });
      return;
    }
    // Flex's defaults for a voice task, then what the before-listeners put in the payload.
    const options: Record<string, unknown> = {
      endConferenceOnCustomerExit: true,
      ...conferenceOptions,
    };
    const fields: Record<string, string> = { Instruction: 'conference' };
    for (const [key, value] of Object.entries(options)) {
      if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
        fields[key.charAt(0).toUpperCase() + key.slice(1)] = String(value);
    }
    await rest.updateReservation(taskSid, reservationSid, fields);
  }

  /** The page's Voice SDK device went away: its live legs end, as a browser's WebRTC leg does. */
  async function deviceGone(workerSid: string) {
    const worker = sim.workspace.workers.get(workerSid);
    const attributes = worker === undefined ? {} : (JSON.parse(worker.attributes) as object);
    const contact = (attributes as { contact_uri?: unknown }).contact_uri;
    if (typeof contact !== 'string') return;
    for (const call of await rest.liveCallsTo(contact)) sim.calls.hangup(call.sid);
  }

  async function route(request: IncomingMessage, response: ServerResponse, url: URL) {
    const worker = url.searchParams.get('worker') ?? '';
    const body = request.method === 'POST' ? await readJson(request) : null;
    switch (`${request.method} ${url.pathname}`) {
      case 'GET /session': {
        const name = sim.workspace.workers.get(worker)?.friendlyName ?? worker;
        const session: BridgeSession = {
          workerSid: worker,
          workerName: name,
          token: sim.tokenFor(worker),
        };
        return json(response, 200, session);
      }
      case 'GET /desk':
        return json(response, 200, await desk.state(worker));
      case 'POST /accept':
        await accept(body as AcceptRequest);
        return json(response, 200, { ok: true });
      case 'POST /wrapup': {
        const { taskSid, reservationSid } = body as TaskRequest;
        await rest.updateReservation(taskSid, reservationSid, { ReservationStatus: 'wrapping' });
        return json(response, 200, { ok: true });
      }
      case 'POST /complete': {
        const { taskSid } = body as TaskRequest;
        await rest.updateTask(taskSid, {
          AssignmentStatus: 'completed',
          Reason: 'Task completed by agent',
        });
        return json(response, 200, { ok: true });
      }
      case 'GET /device': {
        response.writeHead(200, { ...cors, 'Content-Type': 'text/event-stream' });
        response.write(': registered\n\n');
        request.on('close', () => void deviceGone(worker).catch(() => undefined));
        return undefined;
      }
      default: {
        const file = files.get(url.pathname);
        if (file === undefined) return json(response, 404, { error: 'not found' });
        response.writeHead(200, { ...cors, 'Content-Type': 'text/javascript' });
        response.end(readFileSync(file));
        return undefined;
      }
    }
  }

  const cors = {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  };
  const json = (response: ServerResponse, status: number, value: unknown) => {
    response.writeHead(status, { ...cors, 'Content-Type': 'application/json' });
    response.end(JSON.stringify(value));
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://bridge');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors).end();
      return;
    }
    route(request, response, url).catch((error: unknown) =>
      json(response, 502, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    /** Holds new offers back from the page (its TaskRouter connection is still coming up). */
    holdOffers(hold: boolean) {
      desk.holdOffers = hold;
    },
    /** Flex has set endConferenceOnExit on this worker leg (once per leg, as Flex does). */
    flexHabitApplied(callSid: string) {
      return desk.flexHabitApplied(callSid);
    },
    /** Serves a file as it is, e.g. the built plugin bundle (the way Flex loads a plugin). */
    serveFile(path: string, filePath: string) {
      files.set(path, filePath);
      return `${base}${path}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Bridge = Awaited<ReturnType<typeof startBridge>>;

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text === '' ? null : (JSON.parse(text) as unknown);
}
