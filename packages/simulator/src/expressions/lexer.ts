/** Tokens of the TaskRouter expression language (workflow filters, queue and target expressions). */
export type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'punct'; value: '(' | ')' | '[' | ']' | ',' };

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const operators = ['==', '!=', '>=', '<=', '&&', '||', '=', '>', '<', '!'] as const;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let value = '';
      while (j < source.length && source.charAt(j) !== ch) {
        if (source.charAt(j) === '\\' && j + 1 < source.length) j++;
        value += source.charAt(j);
        j++;
      }
      if (j >= source.length) throw new ExpressionError(`unterminated string in: ${source}`);
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ',') {
      tokens.push({ kind: 'punct', value: ch });
      i++;
      continue;
    }
    const op = operators.find((candidate) => source.startsWith(candidate, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i));
    if (number !== null) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][\w$.-]*/.exec(source.slice(i));
    if (word !== null) {
      tokens.push({ kind: 'word', value: word[0] });
      i += word[0].length;
      continue;
    }
    throw new ExpressionError(`unexpected character ${JSON.stringify(ch)} in: ${source}`);
  }
  return tokens;
}
