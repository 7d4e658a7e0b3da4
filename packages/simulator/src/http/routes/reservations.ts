import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.ts';
import { eventWords } from '../../twiml.ts';
import type { ReservationRecord } from '../../world/records.ts';
import { conferenceInstruction } from '../../world/taskrouter/conference-instruction.ts';
import { pageV1 } from '../page.ts';
import type { Fields } from '../params.ts';
import { bool, list, str } from '../params.ts';
import { reservationJson } from '../representations/taskrouter.ts';
import type { Deps, RouteContext } from '../serve.ts';
import { serve } from '../serve.ts';
import { viewOf } from './taskrouter-view.ts';

function reservationOr404(
  deps: Deps,
  owner: { taskSid?: string; workerSid?: string },
  sid: string | undefined,
  urlPath: string,
): ReservationRecord {
  const reservation = sid === undefined ? undefined : deps.world.taskrouter.reservations.get(sid);
  if (
    reservation === undefined ||
    (owner.taskSid !== undefined && reservation.taskSid !== owner.taskSid) ||
    (owner.workerSid !== undefined && reservation.workerSid !== owner.workerSid)
  ) {
    throw apiErrors.notFound(urlPath);
  }
  return reservation;
}

/** ReservationStatus and Instruction, as Reservations update takes them. */
function applyUpdate(deps: Deps, reservation: ReservationRecord, fields: Fields): void {
  const { reservations, workspace } = deps.world.taskrouter;
  const instruction = str(fields, 'Instruction');
  const status = str(fields, 'ReservationStatus');
  const activity = str(fields, 'WorkerActivitySid');
  if (instruction === 'conference') {
    const callback = str(fields, 'ConferenceStatusCallback');
    const endOnExit = bool(fields, 'EndConferenceOnExit');
    const endOnCustomerExit = bool(fields, 'EndConferenceOnCustomerExit');
    const startOnEnter = bool(fields, 'StartConferenceOnEnter');
    conferenceInstruction(deps.world, reservation, {
      from: str(fields, 'From') ?? null,
      to: str(fields, 'To') ?? null,
      conferenceStatusCallback: callback ?? null,
      conferenceStatusCallbackEvent: eventWords(list(fields, 'ConferenceStatusCallbackEvent')),
      conferenceStatusCallbackMethod: str(fields, 'ConferenceStatusCallbackMethod') ?? 'POST',
      ...(endOnExit === undefined ? {} : { endConferenceOnExit: endOnExit }),
      ...(endOnCustomerExit === undefined
        ? {}
        : { endConferenceOnCustomerExit: endOnCustomerExit }),
      ...(startOnEnter === undefined ? {} : { startConferenceOnEnter: startOnEnter }),
    });
  } else if (instruction !== undefined && instruction !== 'accept' && instruction !== 'reject') {
    throw apiErrors.invalid(`Instruction ${instruction} is not simulated`);
  }
  const wanted =
    status ??
    (instruction === 'accept' ? 'accepted' : instruction === 'reject' ? 'rejected' : undefined);
  switch (wanted) {
    case undefined:
      break;
    case 'accepted':
      reservations.accept(reservation);
      break;
    case 'rejected':
      reservations.reject(reservation);
      if (activity !== undefined) workspace.setActivity(reservation.workerSid, activity);
      break;
    case 'completed':
    case 'wrapping':
      reservations.finish(reservation, wanted);
      break;
    default:
      throw apiErrors.invalid(`ReservationStatus ${wanted} cannot be set`);
  }
}

export function reservationRoutes(app: FastifyInstance, deps: Deps): void {
  const { reservations } = deps.world.taskrouter;
  const view = () => viewOf(deps);
  const listing = (context: RouteContext, all: ReservationRecord[]) => {
    const status = str(context.query, 'ReservationStatus');
    const worker = str(context.query, 'WorkerSid');
    const found = all
      .filter((r) => status === undefined || r.status === status)
      .filter((r) => worker === undefined || r.workerSid === worker)
      .map((r) => reservationJson(view(), r));
    return { body: pageV1('reservations', found, deps.origin(), context.urlPath, context.query) };
  };

  serve(app, deps, 'ListTaskReservation', (c) =>
    listing(c, reservations.forTask(c.path['TaskSid'] ?? '')),
  );
  serve(app, deps, 'ListWorkerReservation', (c) =>
    listing(c, reservations.forWorker(c.path['WorkerSid'] ?? '')),
  );

  const byTask = (c: RouteContext) =>
    reservationOr404(deps, { taskSid: c.path['TaskSid'] ?? '' }, c.path['Sid'], c.urlPath);
  const byWorker = (c: RouteContext) =>
    reservationOr404(deps, { workerSid: c.path['WorkerSid'] ?? '' }, c.path['Sid'], c.urlPath);

  serve(app, deps, 'FetchTaskReservation', (c) => ({ body: reservationJson(view(), byTask(c)) }));
  serve(app, deps, 'FetchWorkerReservation', (c) => ({
    body: reservationJson(view(), byWorker(c)),
  }));
  serve(app, deps, 'UpdateTaskReservation', (c) => {
    const reservation = byTask(c);
    applyUpdate(deps, reservation, c.fields);
    return { body: reservationJson(view(), reservation) };
  });
  serve(app, deps, 'UpdateWorkerReservation', (c) => {
    const reservation = byWorker(c);
    applyUpdate(deps, reservation, c.fields);
    return { body: reservationJson(view(), reservation) };
  });
}
