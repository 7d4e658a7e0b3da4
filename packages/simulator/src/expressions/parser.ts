import type { JsonValue } from '../json.ts';
import type { Comparator, Expression, Operand } from './ast.ts';
import type { Token } from './lexer.ts';
import { ExpressionError, tokenize } from './lexer.ts';

const keyword = (token: Token | undefined, ...words: string[]): boolean =>
  token?.kind === 'word' && words.includes(token.value.toUpperCase());

/**
 * Recursive descent over: or := and (OR and)*; and := not (AND not)*;
 * not := NOT not | '(' or ')' | comparison; comparison := operand (comparator operand)?.
 */
class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Expression {
    const expression = this.or();
    if (this.index < this.tokens.length) this.fail('unexpected trailing input');
    return expression;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  private next(): Token {
    const token = this.tokens[this.index++];
    if (token === undefined) this.fail('unexpected end');
    return token;
  }

  private fail(problem: string): never {
    throw new ExpressionError(`${problem} in expression: ${this.source}`);
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token?.kind === 'op' && token.value === value;
  }

  private or(): Expression {
    let left = this.and();
    while (keyword(this.peek(), 'OR') || this.isOp('||')) {
      this.index++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expression {
    let left = this.not();
    while (keyword(this.peek(), 'AND') || this.isOp('&&')) {
      this.index++;
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Expression {
    if ((keyword(this.peek(), 'NOT') && !keyword(this.peek(1), 'IN')) || this.isOp('!')) {
      this.index++;
      return { kind: 'not', operand: this.not() };
    }
    const token = this.peek();
    if (token?.kind === 'punct' && token.value === '(') {
      this.index++;
      const inner = this.or();
      const close = this.next();
      if (close.kind !== 'punct' || close.value !== ')') this.fail('expected )');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Expression {
    const left = this.operand();
    const op = this.comparator();
    if (op === null) return { kind: 'truthy', operand: left };
    return { kind: 'compare', op, left, right: this.operand() };
  }

  private comparator(): Comparator | null {
    const token = this.peek();
    if (token === undefined) return null;
    if (token.kind === 'op') {
      const map: Record<string, Comparator> = {
        '==': '==',
        '=': '==',
        '!=': '!=',
        '>': '>',
        '>=': '>=',
        '<': '<',
        '<=': '<=',
      };
      const op = map[token.value];
      if (op === undefined) return null;
      this.index++;
      return op;
    }
    if (keyword(token, 'NOT') && keyword(this.peek(1), 'IN')) {
      this.index += 2;
      return 'NOT IN';
    }
    if (keyword(token, 'HAS', 'IN', 'CONTAINS')) {
      this.index++;
      return token.kind === 'word' ? (token.value.toUpperCase() as Comparator) : null;
    }
    return null;
  }

  private operand(): Operand {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'word': {
        const upper = token.value.toUpperCase();
        if (upper === 'TRUE') return { kind: 'literal', value: true };
        if (upper === 'FALSE') return { kind: 'literal', value: false };
        if (upper === 'NULL') return { kind: 'literal', value: null };
        return { kind: 'path', path: token.value.split('.') };
      }
      case 'punct':
        if (token.value === '[') return { kind: 'literal', value: this.list() };
        return this.fail(`unexpected ${token.value}`);
      case 'op':
        return this.fail(`unexpected ${token.value}`);
    }
  }

  private list(): JsonValue[] {
    const items: JsonValue[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'punct' && token.value === ']') return items;
      if (token.kind === 'punct' && token.value === ',') continue;
      if (token.kind === 'string' || token.kind === 'number') items.push(token.value);
      else if (token.kind === 'word') items.push(token.value);
      else this.fail('bad list item');
    }
  }
}

export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  if (tokens.length === 0) throw new ExpressionError('empty expression');
  return new Parser(tokens, source).parse();
}
