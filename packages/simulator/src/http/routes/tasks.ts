import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.ts';
import type { TaskRecord } from '../../world/records.ts';
import type { TaskChanges } from '../../world/taskrouter/tasks.ts';
import { etagOf } from '../../world/taskrouter/tasks.ts';
import { pageV1 } from '../page.ts';
import { int, list, str } from '../params.ts';
import { taskJson } from '../representations/taskrouter.ts';
import type { Deps } from '../serve.ts';
import { serve } from '../serve.ts';
import { viewOf } from './taskrouter-view.ts';

export function taskOr404(deps: Deps, sid: string | undefined, urlPath: string): TaskRecord {
  const task = sid === undefined ? undefined : deps.world.taskrouter.tasks.get(sid);
  if (task === undefined) throw apiErrors.notFound(urlPath);
  return task;
}

export function taskRoutes(app: FastifyInstance, deps: Deps): void {
  const tasks = deps.world.taskrouter.tasks;
  const withEtag = (task: TaskRecord, status?: number) => ({
    ...(status === undefined ? {} : { status }),
    body: taskJson(viewOf(deps), task),
    headers: { ETag: etagOf(task) },
  });

  serve(app, deps, 'CreateTask', ({ fields }) => {
    const workflowSid = str(fields, 'WorkflowSid');
    if (workflowSid === undefined) throw apiErrors.invalid('WorkflowSid is required');
    const attributes = str(fields, 'Attributes');
    const priority = int(fields, 'Priority');
    const timeout = int(fields, 'Timeout');
    const channel = str(fields, 'TaskChannel');
    const task = tasks.create({
      workflowSid,
      ...(attributes === undefined ? {} : { attributes }),
      ...(priority === undefined ? {} : { priority }),
      ...(timeout === undefined ? {} : { timeout }),
      ...(channel === undefined ? {} : { taskChannel: channel }),
    });
    return withEtag(task);
  });

  serve(app, deps, 'FetchTask', ({ path, urlPath }) =>
    withEtag(taskOr404(deps, path['Sid'], urlPath)),
  );

  serve(app, deps, 'UpdateTask', ({ path, fields, header, urlPath }) => {
    const task = taskOr404(deps, path['Sid'], urlPath);
    const changes: TaskChanges = {};
    const attributes = str(fields, 'Attributes');
    const priority = int(fields, 'Priority');
    const status = str(fields, 'AssignmentStatus');
    const reason = str(fields, 'Reason');
    const ifMatch = header('If-Match');
    if (attributes !== undefined) changes.attributes = attributes;
    if (priority !== undefined) changes.priority = priority;
    if (status !== undefined) changes.assignmentStatus = status;
    if (reason !== undefined) changes.reason = reason;
    if (ifMatch !== undefined) changes.ifMatch = ifMatch;
    return withEtag(tasks.update(task, changes));
  });

  serve(app, deps, 'ListTask', ({ query, urlPath }) => {
    const statuses = list(query, 'AssignmentStatus').flatMap((s) => s.split(','));
    const workflowSid = str(query, 'WorkflowSid');
    const taskQueueSid = str(query, 'TaskQueueSid');
    const expression = str(query, 'EvaluateTaskAttributes');
    const ordering = str(query, 'Ordering');
    const found = tasks.list({
      ...(statuses.length === 0 ? {} : { assignmentStatus: statuses }),
      ...(workflowSid === undefined ? {} : { workflowSid }),
      ...(taskQueueSid === undefined ? {} : { taskQueueSid }),
      ...(expression === undefined ? {} : { evaluateTaskAttributes: expression }),
      ...(ordering === undefined ? {} : { ordering }),
    });
    const view = viewOf(deps);
    return {
      body: pageV1(
        'tasks',
        found.map((t) => taskJson(view, t)),
        deps.origin(),
        urlPath,
        query,
      ),
    };
  });
}
