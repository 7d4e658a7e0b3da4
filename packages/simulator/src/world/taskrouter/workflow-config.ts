import type { JsonValue } from '../../json.ts';
import { isJsonObject } from '../../json.ts';

/** One target of a workflow filter: a queue, narrowed to a known worker or by an expression. */
export interface WorkflowTarget {
  queueSid: string;
  /** Worker expression (`task.` names the task's attributes). */
  expression: string | null;
  /** Expression naming the known worker's SID, e.g. `task.targetWorkerSid`. */
  knownWorkerSid: string | null;
  /** Expression naming the known worker's friendly name. */
  knownWorkerFriendlyName: string | null;
  priority: number | null;
  /** Seconds before the task moves on to the next target. */
  timeout: number | null;
}

export interface WorkflowFilter {
  name: string;
  expression: string;
  targets: WorkflowTarget[];
}

export interface WorkflowConfig {
  filters: WorkflowFilter[];
  defaultQueueSid: string | null;
}

export class WorkflowConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowConfigError';
  }
}

function str(value: JsonValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: JsonValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}

function target(raw: JsonValue): WorkflowTarget {
  if (!isJsonObject(raw)) throw new WorkflowConfigError('a target must be an object');
  const queueSid = str(raw['queue']);
  if (queueSid === null) throw new WorkflowConfigError('a target needs a queue');
  return {
    queueSid,
    expression: str(raw['expression']),
    knownWorkerSid: str(raw['known_worker_sid']),
    knownWorkerFriendlyName: str(raw['known_worker_friendly_name']),
    priority: num(raw['priority']),
    timeout: num(raw['timeout']),
  };
}

/** Parses a workflow's configuration JSON (`{"task_routing": {"filters": [...], "default_filter": {...}}}`). */
export function parseWorkflowConfig(text: string): WorkflowConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new WorkflowConfigError('configuration is not JSON');
  }
  if (!isJsonObject(raw) || !isJsonObject(raw['task_routing'])) {
    throw new WorkflowConfigError('configuration needs task_routing');
  }
  const routing = raw['task_routing'];
  const filtersRaw = routing['filters'] ?? [];
  if (!Array.isArray(filtersRaw)) throw new WorkflowConfigError('filters must be an array');
  const filters = filtersRaw.map((f, i): WorkflowFilter => {
    if (!isJsonObject(f)) throw new WorkflowConfigError(`filter ${i} must be an object`);
    const targets = f['targets'];
    if (!Array.isArray(targets)) throw new WorkflowConfigError(`filter ${i} needs targets`);
    return {
      name: str(f['filter_friendly_name']) ?? `filter ${i}`,
      expression: str(f['expression']) ?? '1==1',
      targets: targets.map(target),
    };
  });
  const defaultFilter = routing['default_filter'];
  return {
    filters,
    defaultQueueSid: isJsonObject(defaultFilter) ? str(defaultFilter['queue']) : null,
  };
}
