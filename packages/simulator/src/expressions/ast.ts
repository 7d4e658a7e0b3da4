import type { JsonValue } from '../json.ts';

export type Comparator =
  '==' | '!=' | '>' | '>=' | '<' | '<=' | 'HAS' | 'IN' | 'NOT IN' | 'CONTAINS';

export type Operand = { kind: 'literal'; value: JsonValue } | { kind: 'path'; path: string[] };

export type Expression =
  | { kind: 'and'; left: Expression; right: Expression }
  | { kind: 'or'; left: Expression; right: Expression }
  | { kind: 'not'; operand: Expression }
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  /** A bare operand used as a condition: true when it is truthy (e.g. `isReconnect`). */
  | { kind: 'truthy'; operand: Operand };
