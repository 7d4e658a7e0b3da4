import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.ts';
import { pageV1 } from '../page.ts';
import { str } from '../params.ts';
import { taskQueueJson, workflowJson } from '../representations/taskrouter.ts';
import type { Deps } from '../serve.ts';
import { serve } from '../serve.ts';
import { viewOf } from './taskrouter-view.ts';

export function workflowRoutes(app: FastifyInstance, deps: Deps): void {
  const { workspace } = deps.world.taskrouter;

  serve(app, deps, 'FetchWorkflow', ({ path, urlPath }) => {
    const workflow = workspace.workflows.get(path['Sid'] ?? '');
    if (workflow === undefined) throw apiErrors.notFound(urlPath);
    return { body: workflowJson(viewOf(deps), workflow) };
  });

  serve(app, deps, 'ListWorkflow', ({ query, urlPath }) => {
    const name = str(query, 'FriendlyName');
    const found = [...workspace.workflows.values()]
      .filter((w) => name === undefined || w.friendlyName === name)
      .map((w) => workflowJson(viewOf(deps), w));
    return { body: pageV1('workflows', found, deps.origin(), urlPath, query) };
  });

  serve(app, deps, 'FetchTaskQueue', ({ path, urlPath }) => {
    const queue = workspace.queues.get(path['Sid'] ?? '');
    if (queue === undefined) throw apiErrors.notFound(urlPath);
    return { body: taskQueueJson(viewOf(deps), queue) };
  });

  serve(app, deps, 'ListTaskQueue', ({ query, urlPath }) => {
    const name = str(query, 'FriendlyName');
    const found = [...workspace.queues.values()]
      .filter((q) => name === undefined || q.friendlyName === name)
      .map((q) => taskQueueJson(viewOf(deps), q));
    return { body: pageV1('task_queues', found, deps.origin(), urlPath, query) };
  });
}
