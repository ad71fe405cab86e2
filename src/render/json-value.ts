import { AliasCounter, excessiveAliasing } from './aliases.js';
import { COLLECTION_COST, keyCost, scalarCost } from './cost.js';
import { boundedText } from './quote.js';

/** A value that JSON can carry unchanged: what a Kubernetes object may hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** NotJson: a value JSON cannot carry; TooLarge: past maxBytes; Aliases: aliases past go-yaml's bound. */
export type JsonCopyFailure = 'NotJson' | 'TooLarge' | 'Aliases';

export type JsonCopyResult =
  | { ok: true; value: JsonValue; /** what the copy takes, as cost.ts counts it */ bytes: number }
  | { ok: false; failure: JsonCopyFailure; message: string };

export interface JsonCopyOptions {
  /** Stop once the copy would take more than this many bytes (as cost.ts counts them). */
  maxBytes: number;
  /** Deepest nesting accepted. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 1000;

class CopyAborted extends Error {
  constructor(
    readonly failure: JsonCopyFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Deep-copies a parsed value, refusing anything JSON cannot represent (NaN, Infinity, Date,
 * binary, functions). The bounds matter for YAML: an alias shares its anchor's node, and a small
 * file can name it a billion times over; the copy expands every use. So every value copied is
 * counted, a collection met again (an alias, or a merge key's entries) counts as aliased, and
 * the copy stops once it takes more than `maxBytes`, or once aliases make up more of it than
 * go-yaml allows (see aliases.ts).
 */
export function copyAsJson(value: unknown, options: JsonCopyOptions): JsonCopyResult {
  const state: CopyState = {
    bytes: 0,
    maxBytes: options.maxBytes,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    path: [],
    aliases: new AliasCounter(),
    seen: new Set(),
  };
  try {
    const copy = copyValue(value, state, 0);
    return { ok: true, value: copy, bytes: state.bytes };
  } catch (err) {
    if (err instanceof CopyAborted) return { ok: false, failure: err.failure, message: err.message };
    throw err;
  }
}

interface CopyState {
  bytes: number;
  readonly maxBytes: number;
  readonly maxDepth: number;
  /** Keys and indexes from the document to the value being copied (told only when the copy fails). */
  readonly path: Array<string | number>;
  readonly aliases: AliasCounter;
  /** Collections copied so far: meeting one again is expanding an alias. */
  readonly seen: Set<object>;
}

function copyValue(value: unknown, state: CopyState, depth: number): JsonValue {
  count(state);
  if (value === null) return charge(state, scalarCost(null), null);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return charge(state, scalarCost(value), value);
    case 'number':
      if (!Number.isFinite(value)) throw notJson(state, `${String(value)} is not a JSON number`);
      return charge(state, scalarCost(value), value);
    case 'object':
      break;
    default:
      throw notJson(state, `${value === undefined ? 'undefined' : `a ${typeof value}`} is not a JSON value`);
  }
  if (depth >= state.maxDepth) throw notJson(state, `nested deeper than ${state.maxDepth} levels`);
  const aliased = state.seen.has(value);
  if (aliased) state.aliases.enter();
  else state.seen.add(value);
  let copy: JsonValue;
  if (Array.isArray(value)) {
    copy = copyArray(value, state, depth);
  } else {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
      throw notJson(state, `a ${value.constructor.name} is not a JSON value`);
    }
    copy = copyRecord(value as Record<string, unknown>, state, depth);
  }
  if (aliased) state.aliases.leave();
  return copy;
}

function copyArray(items: readonly unknown[], state: CopyState, depth: number): JsonValue[] {
  charge(state, COLLECTION_COST, null);
  const copy: JsonValue[] = new Array<JsonValue>(items.length);
  for (let index = 0; index < items.length; index++) {
    state.path.push(index);
    copy[index] = copyValue(items[index], state, depth + 1);
    state.path.pop();
  }
  return copy;
}

function copyRecord(record: Record<string, unknown>, state: CopyState, depth: number): { [key: string]: JsonValue } {
  charge(state, COLLECTION_COST, null);
  const copy: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(record)) {
    count(state);
    charge(state, keyCost(key), null);
    state.path.push(key);
    const value = copyValue(record[key], state, depth + 1);
    state.path.pop();
    // A '__proto__' key stays data and never becomes a prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value, writable: true, enumerable: true, configurable: true });
    else copy[key] = value;
  }
  return copy;
}

function count(state: CopyState): void {
  if (state.aliases.count()) throw new CopyAborted('Aliases', excessiveAliasing(state.aliases));
}

function charge<T extends JsonValue>(state: CopyState, bytes: number, value: T): T {
  state.bytes += bytes;
  if (state.bytes > state.maxBytes) {
    throw new CopyAborted('TooLarge', `takes more than ${state.maxBytes} bytes once read (YAML aliases are expanded wherever they are used)`);
  }
  return value;
}

function notJson(state: CopyState, reason: string): CopyAborted {
  const where = state.path.length === 0 ? 'the document'
    : boundedText(state.path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join(''));
  return new CopyAborted('NotJson', `${where}: ${reason}`);
}
