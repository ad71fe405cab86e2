/**
 * The globs of project rules, with the syntax Argo CD's projects use: `*` (any run of characters
 * but a separator), `**` (any run), `?` (one character but a separator), `[abc]`, `[a-z]`, `[!a-z]`
 * (or `[^a-z]`), `{a,b}` (alternatives, nested), and `\` to take the next character literally.
 * Matching runs the pattern as a set of positions over the text (no backtracking), so its cost is
 * bounded by pattern length × text length whatever the pattern is.
 */

type Token =
  | { readonly type: 'char'; readonly char: string }
  | { readonly type: 'one' }
  | { readonly type: 'class'; readonly negated: boolean; readonly ranges: readonly (readonly [string, string])[] }
  | { readonly type: 'star' }
  | { readonly type: 'superstar' };

type Sequence = readonly Token[];

/** A pattern may expand into at most this many alternatives ({a,b}{c,d} is four). */
export const maxAlternatives = 64;
/** Longer patterns are refused. */
export const maxPatternLength = 1024;

export class GlobSyntaxError extends Error {
  readonly code = 'GLOB_SYNTAX';
  constructor(pattern: string, why: string) {
    super(`glob ${JSON.stringify(pattern)} is not valid: ${why}`);
    this.name = 'GlobSyntaxError';
  }
}

export interface CompiledGlob {
  matches(text: string): boolean;
}

class Parser {
  private pos = 0;
  private readonly chars: string[];

  constructor(private readonly pattern: string) {
    this.chars = Array.from(pattern);
  }

  parse(): Sequence[] {
    const alternatives = this.sequence(false);
    if (this.pos < this.chars.length) throw this.error(`unexpected ${JSON.stringify(this.chars[this.pos])}`);
    return alternatives;
  }

  private error(why: string): GlobSyntaxError {
    return new GlobSyntaxError(this.pattern, why);
  }

  /** Reads up to the end (or, inside braces, up to `,` or `}`): the alternatives it stands for. */
  private sequence(inBraces: boolean): Sequence[] {
    let alternatives: Token[][] = [[]];
    const append = (tokens: readonly Sequence[]): void => {
      const product = alternatives.flatMap((head) => tokens.map((tail) => [...head, ...tail]));
      if (product.length > maxAlternatives) throw this.error(`it expands into more than ${maxAlternatives} alternatives`);
      alternatives = product;
    };
    while (this.pos < this.chars.length) {
      const char = this.chars[this.pos] ?? '';
      if (inBraces && (char === ',' || char === '}')) break;
      this.pos++;
      if (char === '\\') {
        const next = this.chars[this.pos++];
        if (next === undefined) throw this.error('it ends with an escape (\\)');
        append([[{ type: 'char', char: next }]]);
      } else if (char === '*') {
        if (this.chars[this.pos] === '*') {
          this.pos++;
          append([[{ type: 'superstar' }]]);
        } else {
          append([[{ type: 'star' }]]);
        }
      } else if (char === '?') {
        append([[{ type: 'one' }]]);
      } else if (char === '[') {
        append([[this.charClass()]]);
      } else if (char === '{') {
        append(this.braces());
      } else {
        append([[{ type: 'char', char }]]);
      }
    }
    return alternatives;
  }

  private braces(): Sequence[] {
    const alternatives: Sequence[] = [];
    for (;;) {
      alternatives.push(...this.sequence(true));
      if (alternatives.length > maxAlternatives) throw this.error(`it expands into more than ${maxAlternatives} alternatives`);
      const char = this.chars[this.pos++];
      if (char === '}') return alternatives;
      if (char !== ',') throw this.error('a { is not closed');
    }
  }

  private charClass(): Token {
    let negated = false;
    if (this.chars[this.pos] === '!' || this.chars[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: [string, string][] = [];
    for (;;) {
      let char = this.chars[this.pos++];
      if (char === undefined) throw this.error('a [ is not closed');
      if (char === ']') {
        if (ranges.length === 0) throw this.error('a [] names no character');
        return { type: 'class', negated, ranges };
      }
      if (char === '\\') char = this.chars[this.pos++];
      if (char === undefined) throw this.error('a [ is not closed');
      let high = char;
      if (this.chars[this.pos] === '-' && this.chars[this.pos + 1] !== ']' && this.chars[this.pos + 1] !== undefined) {
        this.pos++;
        high = this.chars[this.pos++] ?? char;
        if (high === '\\') high = this.chars[this.pos++] ?? '';
        if (high < char) throw this.error(`the range ${char}-${high} is inverted`);
      }
      ranges.push([char, high]);
    }
  }
}

function accepts(token: Token, char: string, separators: string): boolean {
  switch (token.type) {
    case 'char':
      return token.char === char;
    case 'one':
    case 'star':
      return !separators.includes(char);
    case 'superstar':
      return true;
    case 'class': {
      const inside = token.ranges.some(([low, high]) => char >= low && char <= high);
      return inside !== token.negated;
    }
  }
}

/** The positions reachable from `states` without reading a character (a star may match nothing). */
function closure(tokens: Sequence, states: Set<number>): Set<number> {
  for (const state of states) {
    const token = tokens[state];
    if (token !== undefined && (token.type === 'star' || token.type === 'superstar')) states.add(state + 1);
  }
  return states;
}

function matchSequence(tokens: Sequence, text: readonly string[], separators: string): boolean {
  let states = closure(tokens, new Set([0]));
  for (const char of text) {
    const next = new Set<number>();
    for (const state of states) {
      const token = tokens[state];
      if (token === undefined || !accepts(token, char, separators)) continue;
      next.add(token.type === 'star' || token.type === 'superstar' ? state : state + 1);
    }
    if (next.size === 0) return false;
    states = closure(tokens, next);
  }
  return states.has(tokens.length);
}

const cache = new Map<string, CompiledGlob>();
const cacheLimit = 2_000;

/** Compiles a pattern; throws a GlobSyntaxError naming what is wrong with it. */
export function compileGlob(pattern: string, separators = ''): CompiledGlob {
  const key = `${separators}\u0000${pattern}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  if (pattern.length > maxPatternLength) throw new GlobSyntaxError(pattern.slice(0, 40), `it is longer than ${maxPatternLength} characters`);
  const alternatives = new Parser(pattern).parse();
  const compiled: CompiledGlob = {
    matches: (text) => {
      const chars = Array.from(text);
      return alternatives.some((tokens) => matchSequence(tokens, chars, separators));
    },
  };
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** Why a pattern does not compile, or undefined when it does. */
export function globProblem(pattern: string, separators = ''): string | undefined {
  try {
    compileGlob(pattern, separators);
    return undefined;
  } catch (err) {
    if (err instanceof GlobSyntaxError) return err.message;
    throw err;
  }
}

/** True when `text` matches `pattern`; a pattern that does not compile matches nothing. */
export function globMatches(pattern: string, text: string, separators = ''): boolean {
  try {
    return compileGlob(pattern, separators).matches(text);
  } catch (err) {
    if (err instanceof GlobSyntaxError) return false;
    throw err;
  }
}

export const isDenyPattern = (pattern: string): boolean => pattern.startsWith('!');

/**
 * Argo CD's rule match: `*` alone matches everything (even across separators); with `negation`,
 * a `!pattern` matches what the pattern does not.
 */
export function ruleMatches(pattern: string, text: string, options: { readonly negation: boolean; readonly separators?: string }): boolean {
  if (options.negation && isDenyPattern(pattern)) return !globMatches(pattern.slice(1), text, options.separators);
  if (pattern === '*') return true;
  return globMatches(pattern, text, options.separators);
}
