/**
 * The `when` language of triggers: a small, safe subset of the expr conditions Argo CD's
 * notifications engine reads, parsed when capstan-config is read and evaluated against an
 * Application. Nothing is called and nothing is computed beyond comparisons:
 *
 * - fields: dotted paths from `app` (`app.status.health.status`, `app.spec.sources.0.repoURL`);
 *   a missing field is null;
 * - literals: 'single' or "double" quoted strings, true, false, nil (or null), and lists of
 *   them in brackets (`['Error', 'Failed']`);
 * - `==`, `!=` (strict: a string equals only the same string), `in` and `not in` a list literal;
 * - `&&`, `||`, `!` and parentheses; a bare field or literal holds when it is true.
 */

import type { Result } from '../api/result.js';
import { fieldAt, parseFieldPath } from './fields.js';

export type Literal = string | boolean | null;

export type Operand = { readonly kind: 'field'; readonly path: readonly string[] } | { readonly kind: 'literal'; readonly value: Literal };

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'compare'; readonly op: '==' | '!='; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'in'; readonly negated: boolean; readonly value: Operand; readonly list: readonly Literal[] }
  | { readonly kind: 'truth'; readonly value: Operand };

type Token =
  | { readonly kind: 'op'; readonly text: '&&' | '||' | '!' | '==' | '!=' | '(' | ')' | '[' | ']' | ','; readonly at: number }
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number };

const maxLength = 2000;
const maxDepth = 32;
const operators = ['&&', '||', '==', '!=', '!', '(', ')', '[', ']', ','] as const;

/** The condition, or what is wrong with it (one sentence, with the column). */
export function parseCondition(text: string): Result<Condition, string> {
  if (text.length > maxLength) return { ok: false, error: `the condition is longer than ${maxLength} characters` };
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  if (tokens.length === 0) return { ok: false, error: 'the condition is empty' };
  try {
    const parser = new Parser(tokens);
    const condition = parser.or(0);
    parser.end();
    return { ok: true, value: condition };
  } catch (err) {
    if (err instanceof ConditionSyntaxError) return { ok: false, error: err.message };
    throw err;
  }
}

/** Does the condition hold for the Application? */
export function evaluateCondition(condition: Condition, app: unknown): boolean {
  const root = { app };
  const valueOf = (operand: Operand): unknown => (operand.kind === 'literal' ? operand.value : fieldAt(root, operand.path));
  switch (condition.kind) {
    case 'and': return evaluateCondition(condition.left, app) && evaluateCondition(condition.right, app);
    case 'or': return evaluateCondition(condition.left, app) || evaluateCondition(condition.right, app);
    case 'not': return !evaluateCondition(condition.operand, app);
    case 'compare': return (valueOf(condition.left) === valueOf(condition.right)) === (condition.op === '==');
    case 'in': {
      const value = valueOf(condition.value);
      return condition.list.some((item) => item === value) !== condition.negated;
    }
    case 'truth': return valueOf(condition.value) === true;
  }
}

class ConditionSyntaxError extends Error {}

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text.charAt(j) !== c; j++) {
        if (text.charAt(j) === '\\') {
          const next = text.charAt(j + 1);
          if (next !== c && next !== '\\') return `column ${j + 1}: only \\${c} and \\\\ are escapes in a string`;
          j++;
        }
        value += text.charAt(j);
      }
      if (j >= text.length) return `column ${i + 1}: the string is not closed`;
      tokens.push({ kind: 'string', text: value, at: i });
      i = j + 1;
      continue;
    }
    const op = operators.find((o) => text.startsWith(o, i));
    if (op !== undefined) { tokens.push({ kind: 'op', text: op, at: i }); i += op.length; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))?.[0];
    if (word === undefined) return `column ${i + 1}: ${JSON.stringify(c)} is not part of the condition language (fields, quoted strings, lists, ==, !=, in, &&, ||, !, parentheses)`;
    tokens.push({ kind: 'word', text: word, at: i });
    i += word.length;
  }
  return tokens;
}

class Parser {
  private next = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  or(depth: number): Condition {
    let left = this.and(depth);
    while (this.takeOp('||')) left = { kind: 'or', left, right: this.and(depth) };
    return left;
  }

  end(): void {
    const token = this.tokens[this.next];
    if (token !== undefined) this.fail(token, `unexpected ${JSON.stringify(token.text)}`);
  }

  private and(depth: number): Condition {
    let left = this.unary(depth);
    while (this.takeOp('&&')) left = { kind: 'and', left, right: this.unary(depth) };
    return left;
  }

  private unary(depth: number): Condition {
    if (depth > maxDepth) this.fail(this.tokens[this.next], `the condition nests deeper than ${maxDepth}`);
    if (this.takeOp('!')) return { kind: 'not', operand: this.unary(depth + 1) };
    if (this.takeOp('(')) {
      const inner = this.or(depth + 1);
      if (!this.takeOp(')')) this.fail(this.tokens[this.next], 'expected )');
      return inner;
    }
    const left = this.operand();
    const token = this.tokens[this.next];
    if (token?.kind === 'op' && (token.text === '==' || token.text === '!=')) {
      this.next++;
      return { kind: 'compare', op: token.text, left, right: this.operand() };
    }
    if (token?.kind === 'word' && (token.text === 'in' || token.text === 'not')) {
      this.next++;
      const negated = token.text === 'not';
      if (negated && !this.takeWord('in')) this.fail(this.tokens[this.next], 'expected in after not');
      return { kind: 'in', negated, value: left, list: this.list() };
    }
    return { kind: 'truth', value: left };
  }

  private list(): Literal[] {
    if (!this.takeOp('[')) this.fail(this.tokens[this.next], 'in needs a list literal, like [\'Succeeded\']');
    const items: Literal[] = [];
    if (this.takeOp(']')) return items;
    do {
      const item = this.operand();
      if (item.kind !== 'literal') this.fail(this.tokens[this.next - 1], 'a list holds only strings, true, false or nil');
      items.push(item.value);
    } while (this.takeOp(','));
    if (!this.takeOp(']')) this.fail(this.tokens[this.next], 'expected , or ] in the list');
    return items;
  }

  private operand(): Operand {
    const token = this.tokens[this.next];
    if (token === undefined) this.fail(token, 'the condition ends too early');
    this.next++;
    if (token.kind === 'string') return { kind: 'literal', value: token.text };
    if (token.kind === 'op') this.fail(token, `expected a field or a literal, not ${JSON.stringify(token.text)}`);
    if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
    if (token.text === 'nil' || token.text === 'null') return { kind: 'literal', value: null };
    const path = parseFieldPath(token.text);
    if (path?.[0] !== 'app') this.fail(token, `${JSON.stringify(token.text)} is not a field of the app (app.…) or a literal`);
    return { kind: 'field', path };
  }

  private takeOp(text: string): boolean {
    const token = this.tokens[this.next];
    if (token?.kind !== 'op' || token.text !== text) return false;
    this.next++;
    return true;
  }

  private takeWord(text: string): boolean {
    const token = this.tokens[this.next];
    if (token?.kind !== 'word' || token.text !== text) return false;
    this.next++;
    return true;
  }

  private fail(token: Token | undefined, message: string): never {
    throw new ConditionSyntaxError(token === undefined ? message : `column ${token.at + 1}: ${message}`);
  }
}
