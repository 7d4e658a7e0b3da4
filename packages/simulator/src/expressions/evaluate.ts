import type { JsonValue } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { Expression, Operand } from './ast.ts';
import { parseExpression } from './parser.ts';

/** Looks a dotted path up; undefined when it is absent. */
export type Resolver = (path: string[]) => JsonValue | undefined;

export function lookup(root: JsonValue | undefined, path: string[]): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function valueOf(operand: Operand, resolve: Resolver): JsonValue | undefined {
  return operand.kind === 'literal' ? operand.value : resolve(operand.path);
}

function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function includes(list: JsonValue | undefined, item: JsonValue | undefined): boolean {
  if (!Array.isArray(list)) return false;
  if (Array.isArray(item)) return item.some((one) => list.some((x) => sameValue(x, one)));
  return list.some((x) => sameValue(x, item));
}

function ordered(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  test: (x: number | string, y: number | string) => boolean,
): boolean {
  if (typeof a === 'number' && typeof b === 'number') return test(a, b);
  if (typeof a === 'string' && typeof b === 'string') return test(a, b);
  return false;
}

function truthy(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (value === 0 || value === '') return false;
  return true;
}

export function evaluate(expression: Expression, resolve: Resolver): boolean {
  switch (expression.kind) {
    case 'and':
      return evaluate(expression.left, resolve) && evaluate(expression.right, resolve);
    case 'or':
      return evaluate(expression.left, resolve) || evaluate(expression.right, resolve);
    case 'not':
      return !evaluate(expression.operand, resolve);
    case 'truthy':
      return truthy(valueOf(expression.operand, resolve));
    case 'compare': {
      const left = valueOf(expression.left, resolve);
      const right = valueOf(expression.right, resolve);
      switch (expression.op) {
        case '==':
          return sameValue(left, right);
        case '!=':
          return !sameValue(left, right);
        case '>':
          return ordered(left, right, (x, y) => x > y);
        case '>=':
          return ordered(left, right, (x, y) => x >= y);
        case '<':
          return ordered(left, right, (x, y) => x < y);
        case '<=':
          return ordered(left, right, (x, y) => x <= y);
        case 'HAS':
          return includes(left, right);
        case 'IN':
          return includes(right, left);
        case 'NOT IN':
          return !includes(right, left);
        case 'CONTAINS':
          if (typeof left === 'string' && typeof right === 'string') return left.includes(right);
          return includes(left, right);
      }
    }
  }
}

const cache = new Map<string, Expression>();

/** Parses (once per distinct source) and evaluates. Throws ExpressionError on bad syntax. */
export function matches(source: string, resolve: Resolver): boolean {
  let parsed = cache.get(source);
  if (parsed === undefined) {
    parsed = parseExpression(source);
    cache.set(source, parsed);
  }
  return evaluate(parsed, resolve);
}

/**
 * Resolver for task expressions (workflow filters, EvaluateTaskAttributes): names refer to
 * the task's attributes, optionally prefixed `task.`.
 */
export function taskResolver(attributes: JsonValue): Resolver {
  return (path) => lookup(attributes, path[0] === 'task' ? path.slice(1) : path);
}

/**
 * Resolver for worker-side expressions (queue target_workers, workflow target expressions):
 * bare names and `worker.` refer to the worker's attributes (plus `worker.sid`), `task.` to the task's.
 */
export function workerResolver(
  worker: { sid: string; attributes: JsonValue },
  taskAttributes: JsonValue | null,
): Resolver {
  return (path) => {
    if (path[0] === 'task')
      return taskAttributes === null ? undefined : lookup(taskAttributes, path.slice(1));
    const rest = path[0] === 'worker' ? path.slice(1) : path;
    if (rest.length === 1 && rest[0] === 'sid') return worker.sid;
    return lookup(worker.attributes, rest);
  };
}
