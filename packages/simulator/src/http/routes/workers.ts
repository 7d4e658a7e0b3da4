import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.ts';
import { matches, workerResolver } from '../../expressions/index.ts';
import { parseJsonObject } from '../../json.ts';
import type { WorkerRecord } from '../../world/records.ts';
import { pageV1 } from '../page.ts';
import { bool, str } from '../params.ts';
import { workerJson } from '../representations/taskrouter.ts';
import type { Deps } from '../serve.ts';
import { serve } from '../serve.ts';
import { viewOf } from './taskrouter-view.ts';

function workerOr404(deps: Deps, sid: string | undefined, urlPath: string): WorkerRecord {
  const worker = sid === undefined ? undefined : deps.world.taskrouter.workspace.workers.get(sid);
  if (worker === undefined) throw apiErrors.notFound(urlPath);
  return worker;
}

export function workerRoutes(app: FastifyInstance, deps: Deps): void {
  const { workspace, reservations } = deps.world.taskrouter;

  serve(app, deps, 'FetchWorker', ({ path, urlPath }) => ({
    body: workerJson(viewOf(deps), workerOr404(deps, path['Sid'], urlPath)),
  }));

  serve(app, deps, 'ListWorker', ({ query, urlPath }) => {
    const available = bool(query, 'Available');
    const activitySid = str(query, 'ActivitySid');
    const activityName = str(query, 'ActivityName');
    const friendlyName = str(query, 'FriendlyName');
    const expression = str(query, 'TargetWorkersExpression');
    const queueSid = str(query, 'TaskQueueSid');
    const queue = queueSid === undefined ? undefined : workspace.queues.get(queueSid);
    const found = [...workspace.workers.values()]
      .filter((w) => available === undefined || workspace.isAvailable(w) === available)
      .filter((w) => activitySid === undefined || w.activitySid === activitySid)
      .filter(
        (w) =>
          activityName === undefined ||
          workspace.activities.get(w.activitySid)?.friendlyName === activityName,
      )
      .filter((w) => friendlyName === undefined || w.friendlyName === friendlyName)
      .filter((w) => {
        const resolve = workerResolver(
          { sid: w.sid, attributes: parseJsonObject(w.attributes) ?? {} },
          null,
        );
        if (expression !== undefined && !matches(expression, resolve)) return false;
        return queue === undefined || matches(queue.targetWorkers, resolve);
      })
      .map((w) => workerJson(viewOf(deps), w));
    return { body: pageV1('workers', found, deps.origin(), urlPath, query) };
  });

  serve(app, deps, 'UpdateWorker', ({ path, fields, urlPath }) => {
    const worker = workerOr404(deps, path['Sid'], urlPath);
    const activitySid = str(fields, 'ActivitySid');
    const attributes = str(fields, 'Attributes');
    const friendlyName = str(fields, 'FriendlyName');
    if (attributes !== undefined) {
      if (parseJsonObject(attributes) === null)
        throw apiErrors.invalid('Attributes must be a JSON object');
      worker.attributes = attributes;
    }
    if (friendlyName !== undefined) worker.friendlyName = friendlyName;
    if (activitySid !== undefined) {
      if (!workspace.activities.has(activitySid))
        throw apiErrors.invalid(`Activity ${activitySid} not found`);
      if (bool(fields, 'RejectPendingReservations') === true) {
        for (const r of reservations.forWorker(worker.sid))
          if (r.status === 'pending') reservations.reject(r);
      }
      workspace.setActivity(worker.sid, activitySid);
    }
    worker.dateUpdated = deps.clock.now();
    deps.world.taskrouter.dispatchSoon();
    return { body: workerJson(viewOf(deps), worker) };
  });
}
