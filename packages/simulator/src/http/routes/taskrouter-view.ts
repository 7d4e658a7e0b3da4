import type { Deps } from '../serve.ts';
import type { TaskRouterView } from '../representations/taskrouter.ts';

export function viewOf(deps: Deps): TaskRouterView {
  return {
    accountSid: deps.options.accountSid,
    workspaceSid: deps.options.workspaceSid,
    workspace: deps.world.taskrouter.workspace,
    now: deps.clock.now(),
  };
}
