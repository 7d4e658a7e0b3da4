export { ExpressionError } from './lexer.ts';
export { parseExpression } from './parser.ts';
export type { Resolver } from './evaluate.ts';
export { evaluate, lookup, matches, taskResolver, workerResolver } from './evaluate.ts';
