import { createHash } from 'node:crypto';
import { isRecord } from '../../api/object.js';
import { escapeToken } from '../pointer.js';
import { JqRunner, type JqOutcome } from './runner.js';

/** One of spec.ignoreDifferences[].jqPathExpressions, with the field it came from (for messages). */
export interface JqPathExpression {
  readonly expression: string;
  /** Where it is written: `spec.ignoreDifferences[0].jqPathExpressions[1]`. */
  readonly field: string;
}

/** An expression that could not be evaluated: it ran past the time limit, exhausted jq's memory, or stopped jq. */
export class JqExpressionError extends Error {
  override readonly name = 'JqExpressionError';
  constructor(readonly field: string, readonly code: 'TimedOut' | 'TooLarge' | 'Halted', message: string) {
    super(`${field}: ${message}`);
  }
}

export interface JqPathSelectorOptions {
  /** Results kept, by expression and object content (default 20 000). */
  readonly cacheEntries?: number;
  /** JSON text of the objects one run evaluates, at most (default 1 MiB; one larger object runs alone). */
  readonly batchBytes?: number;
}

/**
 * The program that evaluates one expression on an array of objects: for each object, the paths
 * the expression selects (as `path(f)` gives them, what Argo CD's `del(f)` deletes), or null
 * where it fails on that object: `.spec.initContainers[]` on an object without initContainers
 * selects nothing there, as in Argo CD. The expression stands on lines of its own, so that a
 * trailing comment cannot swallow the closing brackets. A compile check compiles exactly this
 * text (behind `empty`, so nothing runs).
 */
function programFor(expression: string): string {
  return `map(try [path(\n${expression}\n)] catch null)`;
}

const MiB = 1024 * 1024;

/**
 * Evaluates jq path expressions (Argo CD's `jqPathExpressions`) with jq itself: jq-wasm, jq 1.8
 * compiled to WebAssembly. It is the jq language users test their expressions with, runs in
 * Node 20 as ESM without native code or a download at install time, takes compile and runtime
 * errors as values (its instance stays usable after them, unlike jq-wasm 1.0's), and caps its
 * own memory at 256 MiB. jq-web (jq 1.7, CommonJS) was the other candidate; node-jq downloads a
 * binary, and gojq as a process per object is slow. jq has no step limit, so every program runs
 * in a worker thread (JqRunner) that is stopped past a time limit. An expression sees nothing of
 * the controller: `$ENV` and the file system are the WebAssembly runtime's own, in memory.
 *
 * Objects are evaluated in batches (one run per expression and batch, not per object: a run
 * costs about 2 ms before it reads its input), and results are cached by expression and object
 * content, so a reconcile that finds nothing changed runs nothing.
 */
export class JqPathSelector {
  private readonly cache = new Map<string, string[]>();
  private readonly checks = new Map<string, string | undefined>();
  private readonly cacheEntries: number;
  private readonly batchBytes: number;

  constructor(private readonly runner: JqRunner = new JqRunner(), options: JqPathSelectorOptions = {}) {
    this.cacheEntries = options.cacheEntries ?? 20_000;
    this.batchBytes = options.batchBytes ?? MiB;
  }

  /** Why `expression` does not compile (jq's message, with the position in the expression), or undefined when it does. */
  async check(expression: string): Promise<string | undefined> {
    if (this.checks.has(expression)) return this.checks.get(expression);
    const outcome = await this.runner.run(`empty | ${programFor(expression)}`, 'null');
    const problem = checkProblem(outcome, expression);
    // A compile error is the expression's; running out of time may be the machine's: only the first is remembered.
    if (outcome.kind === 'outputs' || outcome.kind === 'error') remember(this.checks, expression, problem, 1_000);
    return problem;
  }

  /**
   * For each object, the JSON pointers `expression` selects in it (none where it fails on that
   * object). Throws JqExpressionError when the expression runs too long, exhausts jq's memory,
   * or stops jq (`halt`). `pause` is awaited before each object is serialised (a TimeSlicer's).
   */
  async select(expression: JqPathExpression, objects: readonly unknown[], pause: () => Promise<void> = noPause): Promise<string[][]> {
    const texts: string[] = [];
    const keys: string[] = [];
    for (const o of objects) {
      await pause();
      const text = JSON.stringify(o);
      texts.push(text);
      keys.push(cacheKey(expression.expression, text));
    }
    const results: (string[] | undefined)[] = keys.map((key) => this.cached(key));
    const missing = results.flatMap((r, i) => (r === undefined ? [i] : []));
    for (const batch of batches(missing, (i) => texts[i]?.length ?? 0, this.batchBytes)) {
      const outcome = await this.runner.run(programFor(expression.expression), `[${batch.map((i) => texts[i]).join(',')}]`);
      const selected = selectedPaths(outcome, expression.field, batch.length);
      batch.forEach((objectIndex, n) => {
        const pointers = pointersOf(selected[n], objects[objectIndex]);
        results[objectIndex] = pointers;
        remember(this.cache, keys[objectIndex] ?? '', pointers, this.cacheEntries);
      });
    }
    return results.map((r) => r ?? []);
  }

  close(): Promise<void> {
    return this.runner.close();
  }

  private cached(key: string): string[] | undefined {
    const value = this.cache.get(key);
    if (value === undefined) return undefined;
    // Most recently used last: the oldest entries are the first to go.
    this.cache.delete(key);
    this.cache.set(key, value);
    return value;
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

const noPause = (): Promise<void> => Promise.resolve();

function cacheKey(expression: string, text: string): string {
  return createHash('sha256').update(expression).update('\0').update(text).digest('base64url');
}

function remember<V>(map: Map<string, V>, key: string, value: V, bound: number): void {
  map.set(key, value);
  while (map.size > bound) {
    const oldest = map.keys().next();
    if (oldest.done === true) break;
    map.delete(oldest.value);
  }
}

/** Indexes grouped so that each group's sizes add up to at most `bound` (a larger one alone). */
function batches(indexes: readonly number[], size: (i: number) => number, bound: number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const i of indexes) {
    const s = size(i);
    if (current.length > 0 && bytes + s > bound) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += s;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function checkProblem(outcome: JqOutcome, expression: string): string | undefined {
  switch (outcome.kind) {
    case 'outputs':
      return undefined;
    case 'error':
      return compileMessage(outcome.message, expression);
    case 'timeout':
      return `compiling it took longer than ${seconds(outcome.timeoutMs)} and was stopped`;
    case 'exhausted':
      return 'compiling it exhausted the memory jq may use and was stopped';
  }
}

/** The per-object answers of one run, or a JqExpressionError when the run did not give one per object. */
function selectedPaths(outcome: JqOutcome, field: string, count: number): unknown[] {
  switch (outcome.kind) {
    case 'outputs': {
      const [answers] = outcome.outputs;
      if (outcome.outputs.length === 1 && Array.isArray(answers) && answers.length === count) return answers as unknown[];
      throw new JqExpressionError(field, 'Halted', 'evaluating it stopped jq before it answered for every object (halt?)');
    }
    case 'error':
      throw new JqExpressionError(field, 'Halted', 'evaluating it stopped jq with an error (halt_error?)');
    case 'timeout':
      throw new JqExpressionError(field, 'TimedOut', `evaluating it took longer than ${seconds(outcome.timeoutMs)} and was stopped`);
    case 'exhausted':
      throw new JqExpressionError(field, 'TooLarge', 'evaluating it exhausted the memory jq may use and was stopped');
  }
}

/**
 * jq paths (arrays of keys and indexes) as JSON pointers into `obj`. A negative index counts from
 * the end of its array, as in jq; a path through a slice (`.[1:3]`) names no single field and is
 * left out, as is the whole document.
 */
function pointersOf(answer: unknown, obj: unknown): string[] {
  if (!Array.isArray(answer)) return [];
  const pointers: string[] = [];
  for (const path of answer as unknown[]) {
    const pointer = Array.isArray(path) ? pointerOf(path as unknown[], obj) : undefined;
    if (pointer !== undefined && pointer !== '' && !pointers.includes(pointer)) pointers.push(pointer);
  }
  return pointers;
}

function pointerOf(path: readonly unknown[], obj: unknown): string | undefined {
  let value = obj;
  let pointer = '';
  for (const step of path) {
    if (typeof step === 'string') {
      pointer += `/${escapeToken(step)}`;
      value = isRecord(value) ? value[step] : undefined;
    } else if (typeof step === 'number' && Number.isInteger(step)) {
      const items: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
      const index = step < 0 ? items.length + step : step;
      if (index < 0) return undefined;
      pointer += `/${index}`;
      value = items[index];
    } else {
      return undefined;
    }
  }
  return pointer;
}

/**
 * jq's compile errors, without its `jq: error:` prefix and source excerpt, positions counted in
 * the expression as written (the program around it adds a line before it).
 */
function compileMessage(stderr: string, expression: string): string {
  const lines = expression.split('\n').length;
  const errors = stderr
    .split('\n')
    .filter((line) => line.startsWith('jq: error'))
    .map((line) => line.replace(/^jq: error(?: \(at [^)]*\))?: /, '').replace(/:$/, ''))
    .map((line) => line.replace(/ at <top-level>, line (\d+)(?:, column (\d+))?/, (_all, l: string, c: string | undefined) => {
      const line = Number(l) - 1;
      if (line < 1 || line > lines) return ' at the end of the expression';
      return c === undefined ? ` (line ${line})` : ` (line ${line}, column ${c})`;
    }));
  const message = errors.length > 0 ? errors.join('; ') : stderr.trim() || 'jq refused it';
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}
