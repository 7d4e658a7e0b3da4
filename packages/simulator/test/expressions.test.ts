import { describe, expect, it } from 'vitest';
import { matches, taskResolver, workerResolver } from '../src/expressions/index.ts';
import { ExpressionError } from '../src/expressions/lexer.ts';

const task = (attributes: object) => taskResolver(JSON.parse(JSON.stringify(attributes)) as never);

describe('TaskRouter expressions', () => {
  it('compares with == and != (strings in either quote, numbers, booleans)', () => {
    const r = task({ a: { b: 'x' }, n: 3, flag: true });
    expect(matches('a.b == "x"', r)).toBe(true);
    expect(matches("a.b == 'y'", r)).toBe(false);
    expect(matches('a.b != "y"', r)).toBe(true);
    expect(matches('n == 3 AND flag == true', r)).toBe(true);
    expect(matches('n > 2 && n <= 3', r)).toBe(true);
    expect(matches('task.a.b == "x"', r)).toBe(true);
    expect(matches('1==1', r)).toBe(true);
  });

  it('treats absent and null alike in null checks', () => {
    const r = task({ targetWorkerSid: 'WK1', gone: null });
    expect(matches('targetWorkerSid != null', r)).toBe(true);
    expect(matches('disconnectedWorkerSid != null', r)).toBe(false);
    expect(matches('disconnectedWorkerSid == null', r)).toBe(true);
    expect(matches('gone == null', r)).toBe(true);
  });

  it('supports and/or/not with precedence and parentheses', () => {
    const r = task({ a: 1, b: 2 });
    expect(matches('a == 1 or a == 5 and b == 9', r)).toBe(true);
    expect(matches('(a == 1 or a == 5) and b == 9', r)).toBe(false);
    expect(matches('NOT a == 2', r)).toBe(true);
    expect(matches('!(a == 1)', r)).toBe(false);
  });

  it('supports HAS, IN, NOT IN and CONTAINS', () => {
    const r = task({ skills: ['vip', 'fr'], lang: 'fr', name: 'Recovery Ping' });
    expect(matches('skills HAS "vip"', r)).toBe(true);
    expect(matches('lang IN ["fr", "de"]', r)).toBe(true);
    expect(matches('lang NOT IN ["fr", "de"]', r)).toBe(false);
    expect(matches('name CONTAINS "Ping"', r)).toBe(true);
  });

  it('resolves worker expressions against worker attributes, with task. for the task', () => {
    const resolve = workerResolver(
      { sid: 'WK1', attributes: { skills: ['vip'] } },
      { level: 'vip' },
    );
    expect(matches('skills HAS task.level', resolve)).toBe(true);
    expect(matches('worker.sid == "WK1"', resolve)).toBe(true);
  });

  it('rejects malformed expressions', () => {
    expect(() => matches('a ==', task({}))).toThrow(ExpressionError);
    expect(() => matches('a == "x', task({}))).toThrow(ExpressionError);
    expect(() => matches('', task({}))).toThrow(ExpressionError);
  });
});
